using System.Diagnostics;

namespace SeccompEbpf.Bench;

/// <summary>
/// A plain Stopwatch harness: warm up, pick an iteration count that fills the target time, then
/// take several rounds and report the medians of wall time and of process CPU time per call. On a
/// shared, loaded machine the CPU-time figure is the steadier one (it excludes time spent waiting
/// for a core); both are printed so a reader can judge.
/// </summary>
public static class Measurement
{
    public readonly record struct Result(double WallNanoseconds, double CpuNanoseconds);

    public static Result PerCall(Action call, TimeSpan roundTime, int rounds = 7)
    {
        // Warm-up: lets tiered compilation reach its final code.
        var warm = Stopwatch.StartNew();
        long calls = 0;
        while (warm.Elapsed < TimeSpan.FromMilliseconds(300)) { call(); calls++; }
        long perRound = Math.Max(1, (long)(calls / warm.Elapsed.TotalSeconds * roundTime.TotalSeconds));

        var process = Process.GetCurrentProcess();
        var wall = new double[rounds];
        var cpu = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (long i = 0; i < perRound; i++) call();
            sw.Stop();
            process.Refresh();
            wall[r] = sw.Elapsed.TotalNanoseconds / perRound;
            cpu[r] = (process.TotalProcessorTime - cpuStart).TotalNanoseconds / perRound;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        return new Result(wall[rounds / 2], cpu[rounds / 2]);
    }
}
