using System.Diagnostics;
using System.Text.RegularExpressions;
using SeccompEbpf.Simulation;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Tests.Simulation.SimulatedExamples;

namespace SeccompEbpf.Tests.Simulation;

/// <summary>Records strace -f of a small real workload and replays it through profiles and eBPF filters.</summary>
public partial class RecordedTraceReplayTests
{
    private const string Workload = "ls / >/dev/null; cat /etc/hostname >/dev/null 2>&1; echo hello | wc -c >/dev/null; uname -s >/dev/null";

    private static readonly Lazy<(string? Text, string Why)> Recorded = new(Record);

    private static (string?, string) Record()
    {
        var strace = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "strace")).FirstOrDefault(File.Exists);
        if (strace is null) return (null, "strace is not installed");
        var output = Path.Combine(Directory.CreateTempSubdirectory("seccomp-ebpf-strace-").FullName, "workload.strace");
        var psi = new ProcessStartInfo(strace) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-f", "-o", output, "/bin/sh", "-c", Workload }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(true); return (null, "strace timed out"); }
        return process.ExitCode == 0 && File.Exists(output)
            ? (File.ReadAllText(output), "")
            : (null, $"strace could not trace here (exit {process.ExitCode}): {stderr.Result.Trim()}");
    }

    private static string TraceOrSkip()
    {
        var (text, why) = Recorded.Value;
        Assert.SkipUnless(text is not null, why);
        return text!;
    }

    [GeneratedRegex(@"^(\d+)\s+execve\(", RegexOptions.Multiline)]
    private static partial Regex ExecveLine();

    [GeneratedRegex(@"^(\d+)\s+uname\(", RegexOptions.Multiline)]
    private static partial Regex UnameLine();

    [Fact]
    public void ProfileDenyingUnameDeniesExactlyTheRecordedUnameCalls()
    {
        var trace = TraceOrSkip();
        var path = Path.Combine(Directory.CreateTempSubdirectory("seccomp-ebpf-sim-").FullName, "profile.json");
        File.WriteAllText(path, """
            {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
            """);
        var report = Replay(trace, Prepare(Profile(path)));

        int unameCalls = UnameLine().Matches(trace).Count;
        Assert.True(unameCalls >= 1, "uname -s calls uname(2)");
        Assert.Equal(unameCalls, report.ByAction["ERRNO"]);
        Assert.Equal(new Dictionary<string, int> { ["ERRNO"] = unameCalls }, report.BySyscall["uname"]);
        Assert.Equal(report.Calls.Count - unameCalls, report.ByAction["ALLOW"]);
        Assert.True(report.Processes >= 5, $"sh, ls, cat, wc and uname are processes; replay saw {report.Processes}");
    }

    [Fact]
    public void ExecOnceFilterDeniesEveryExecAttemptAfterTheFirstOfEachProcess()
    {
        var trace = TraceOrSkip();
        var report = Replay(trace, Prepare(Load("04_exec_once", "v3").Filter));

        // Expected from the trace alone: per process, all execve attempts but the first are denied
        // (a shell searching PATH tries several; the filter counts attempts, not successes).
        int expectedDenied = ExecveLine().Matches(trace).GroupBy(m => m.Groups[1].Value).Sum(g => g.Count() - 1);
        Assert.Equal(expectedDenied, report.ByAction.GetValueOrDefault("ERRNO"));
        Assert.Equal(report.Calls.Count - expectedDenied, report.ByAction["ALLOW"]);
    }
}
