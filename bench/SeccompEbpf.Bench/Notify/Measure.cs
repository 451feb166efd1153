using System.Diagnostics;
using System.Globalization;

namespace SeccompEbpf.Bench.Notify;

/// <summary>Runs programs and reads what they report: the workload's ns per call, wall time, peak RSS.</summary>
internal static class Measure
{
    public sealed record LoopResult(long Ok, long Fail, double NsPerCall, double TotalSeconds);

    /// <summary>Runs a command whose last output line is syscall_loop's summary.</summary>
    public static LoopResult RunLoop(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("calls "))
            ?? throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} printed no summary (exit {process.ExitCode}): {output}");
        var fields = line.Split(' ');
        double Field(string name) => double.Parse(fields[Array.IndexOf(fields, name) + 1], CultureInfo.InvariantCulture);
        return new LoopResult((long)Field("ok"), (long)Field("fail"), Field("ns_per_call"), Field("total_s"));
    }

    /// <summary>CPU time (user + system) of a command and all its descendants, in seconds.</summary>
    public static double TreeCpuSeconds(string program, IEnumerable<string> arguments)
    {
        var before = SeccompEbpf.Linux.Interop.ResourceUsage.ChildrenCpuTime();
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true };
        using (var process = Process.Start(start)!)
        {
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
        }
        return (SeccompEbpf.Linux.Interop.ResourceUsage.ChildrenCpuTime() - before).TotalSeconds;
    }

    /// <summary>Wall time of one run of a command (output discarded).</summary>
    public static double WallSeconds(string program, IEnumerable<string> arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The largest VmHWM (peak resident set) of a process seen while it runs, in KiB.</summary>
    public static long PeakRssKiB(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var drain = process.StandardOutput.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                    if (line.StartsWith("VmHWM:"))
                        peak = Math.Max(peak, long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            }
            catch (IOException) { }
            Thread.Sleep(20);
        }
        drain.Wait();
        return peak;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
