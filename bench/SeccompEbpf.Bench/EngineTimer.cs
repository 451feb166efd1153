using System.Runtime.CompilerServices;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;

namespace SeccompEbpf.Bench;

/// <summary>
/// One timed way of running a program: thread CPU ns per run (see <see cref="ThreadCpuClock"/>),
/// the best of the rounds taken so far. Rounds of several runners can be interleaved, so that a
/// shared machine's changing load hits all of them alike.
/// </summary>
internal sealed class TimedRunner(Func<long, long> timeRuns, ulong r0)
{
    private long _runs = 1;

    /// <summary>r0 of the first run (each runner checks that its program ran).</summary>
    public ulong R0 { get; } = r0;
    public double BestNsPerRun { get; private set; } = double.MaxValue;

    /// <summary>Picks the runs per round so that a round takes about <paramref name="roundTarget"/>.</summary>
    public void Calibrate(TimeSpan roundTarget)
    {
        _runs = 1;
        while (timeRuns(_runs) < roundTarget.TotalNanoseconds / 4 && _runs < 1L << 40) _runs *= 4;
        _runs *= 4;
    }

    public void Round() => BestNsPerRun = Math.Min(BestNsPerRun, (double)timeRuns(_runs) / _runs);
}

/// <summary>
/// Makes <see cref="TimedRunner"/>s for our executables. Each timed loop lives in a method of its
/// own: a loop that shared its method with the calibration loop ran the code the runtime's
/// on-stack replacement made for the calibration, which charged every run about 10 ns more.
/// </summary>
internal static unsafe class EngineTimer
{
    /// <summary>Through <see cref="IBpfExecutable.Run"/>, with prepared arguments.</summary>
    public static TimedRunner ForRun(IBpfExecutable executable, BpfRunContext context, byte* ctx, int ctxLength)
    {
        var args = BpfRunArgs.ForContext(ctx, ctxLength);
        var first = executable.Run(context, args);
        if (!first.IsOk) throw new InvalidOperationException($"{executable.Program.Name} failed on {executable.Kind}: {first.Error}");
        // Our JIT gets its own timed loop: one call site shared with the interpreter would be
        // polymorphic and charge the JIT for interface dispatch that a caller holding one program does not pay.
        return executable is JittedProgram jit
            ? new TimedRunner(runs => TimeJitRuns(jit, context, args, runs), first.R0)
            : new TimedRunner(runs => TimeRuns(executable, context, args, runs), first.R0);
    }

    /// <summary>Through the seccomp entry, <see cref="JittedProgram.RunWithContext"/> (no arguments to build), as the seccomp layer calls it.</summary>
    public static TimedRunner ForContextEntry(JittedProgram executable, BpfRunContext context, byte* ctx, int ctxLength)
    {
        var first = executable.RunWithContext(context, ctx, ctxLength);
        if (!first.IsOk) throw new InvalidOperationException($"{executable.Program.Name} failed on the context entry: {first.Error}");
        return new TimedRunner(runs => TimeContextRuns(executable, context, ctx, ctxLength, runs), first.R0);
    }

    /// <summary>Calibrates and takes <paramref name="rounds"/> rounds of one runner alone.</summary>
    public static double Measure(TimedRunner runner, int rounds, TimeSpan roundTarget)
    {
        runner.Calibrate(roundTarget);
        for (int r = 0; r < rounds; r++) runner.Round();
        return runner.BestNsPerRun;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long TimeRuns(IBpfExecutable executable, BpfRunContext context, in BpfRunArgs args, long runs)
    {
        long start = ThreadCpuClock.NowNs();
        for (long i = 0; i < runs; i++) executable.Run(context, args);
        return ThreadCpuClock.NowNs() - start;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long TimeJitRuns(JittedProgram executable, BpfRunContext context, in BpfRunArgs args, long runs)
    {
        long start = ThreadCpuClock.NowNs();
        for (long i = 0; i < runs; i++) executable.Run(context, args);
        return ThreadCpuClock.NowNs() - start;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long TimeContextRuns(JittedProgram executable, BpfRunContext context, byte* ctx, int ctxLength, long runs)
    {
        long start = ThreadCpuClock.NowNs();
        for (long i = 0; i < runs; i++) executable.RunWithContext(context, ctx, ctxLength);
        return ThreadCpuClock.NowNs() - start;
    }
}
