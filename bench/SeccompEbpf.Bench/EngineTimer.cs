using System.Runtime.CompilerServices;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;

namespace SeccompEbpf.Bench;

/// <summary>
/// Times one of our executables: thread CPU ns per run (see <see cref="ThreadCpuClock"/>), best of
/// several rounds. Each timed loop lives in a method of its own: a loop that shared its method with
/// the calibration loop ran the code the runtime's on-stack replacement made for the calibration,
/// which charged every run about 10 ns more.
/// </summary>
internal static unsafe class EngineTimer
{
    /// <summary>Through <see cref="IBpfExecutable.Run"/>, with prepared arguments.</summary>
    public static (double NsPerRun, ulong R0) Measure(IBpfExecutable executable, BpfRunContext context, byte* ctx, int ctxLength, int rounds, TimeSpan roundTarget)
    {
        var args = BpfRunArgs.ForContext(ctx, ctxLength);
        var first = executable.Run(context, args);
        if (!first.IsOk) throw new InvalidOperationException($"{executable.Program.Name} failed on {executable.Kind}: {first.Error}");
        return (BestOf(runs => TimeRuns(executable, context, args, runs), rounds, roundTarget), first.R0);
    }

    /// <summary>Through the seccomp entry, <see cref="JittedProgram.RunWithContext"/> (no arguments to build), as the seccomp layer calls it.</summary>
    public static (double NsPerRun, ulong R0) MeasureContextEntry(JittedProgram executable, BpfRunContext context, byte* ctx, int ctxLength, int rounds, TimeSpan roundTarget)
    {
        var first = executable.RunWithContext(context, ctx, ctxLength);
        if (!first.IsOk) throw new InvalidOperationException($"{executable.Program.Name} failed on the context entry: {first.Error}");
        return (BestOf(runs => TimeContextRuns(executable, context, ctx, ctxLength, runs), rounds, roundTarget), first.R0);
    }

    /// <summary>Calibrates the runs per round to about a quarter of <paramref name="roundTarget"/>, then returns the best ns per run of rounds 4x as long.</summary>
    private static double BestOf(Func<long, long> timeRuns, int rounds, TimeSpan roundTarget)
    {
        long runs = 1;
        while (timeRuns(runs) < roundTarget.TotalNanoseconds / 4 && runs < 1L << 40) runs *= 4;
        double best = double.MaxValue;
        for (int r = 0; r < rounds; r++) best = Math.Min(best, (double)timeRuns(runs * 4) / (runs * 4));
        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long TimeRuns(IBpfExecutable executable, BpfRunContext context, in BpfRunArgs args, long runs)
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
