using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bench;

/// <summary>Times one of our executables: thread CPU ns per run (see <see cref="ThreadCpuClock"/>), best of several rounds.</summary>
internal static unsafe class EngineTimer
{
    public static (double NsPerRun, ulong R0) Measure(IBpfExecutable executable, BpfRunContext context, byte* ctx, int ctxLength, int rounds, TimeSpan roundTarget)
    {
        var args = BpfRunArgs.ForContext(ctx, ctxLength);
        var first = executable.Run(context, args);
        if (!first.IsOk) throw new InvalidOperationException($"{executable.Program.Name} failed on {executable.Kind}: {first.Error}");

        // Calibrate the number of runs per round to roughly roundTarget.
        long runs = 1;
        while (true)
        {
            long start = ThreadCpuClock.NowNs();
            for (long i = 0; i < runs; i++) executable.Run(context, args);
            long elapsed = ThreadCpuClock.NowNs() - start;
            if (elapsed >= roundTarget.TotalNanoseconds / 4 || runs >= 1L << 40) break;
            runs *= 4;
        }
        double best = double.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            long start = ThreadCpuClock.NowNs();
            for (long i = 0; i < runs * 4; i++) executable.Run(context, args);
            best = Math.Min(best, (double)(ThreadCpuClock.NowNs() - start) / (runs * 4));
        }
        return (best, first.R0);
    }
}
