using System.Diagnostics;
using System.Text.RegularExpressions;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;

namespace SeccompEbpf.Linux.Tests.Classic;

/// <summary>
/// Records <c>strace -f</c> of a small shell workload, replays it against a policy and checks the
/// summary against counts taken directly from the trace text.
/// </summary>
public partial class RealTraceReplayTests(ITestOutputHelper output)
{
    private const string Policy = """
            ld [4]
            jeq #0xc000003e, 0, kill    ; only x86_64
            ld [0]
            jeq #59, log                ; execve: LOG
            jeq #87, deny               ; unlink
            jeq #263, deny              ; unlinkat
            jeq #41, deny               ; socket
            ret #0x7fff0000
        log:  ret #0x7ffc0000
        deny: ret #0x5000d              ; ERRNO(EACCES)
        kill: ret #0x80000000
        """;

    [GeneratedRegex(@"^\d+\s+\[\s*(\d+)\] [a-z0-9_]+\(", RegexOptions.Multiline)]
    private static partial Regex CallEntry();

    [Fact]
    public void ReplayOfAShellWorkloadCountsEveryCallUnderThePolicy()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && KernelThreadHarness.NativeArch == AuditArch.X86_64, "needs Linux on x86_64 (the policy and strace -n numbers are x86_64)");
        var directory = Directory.CreateTempSubdirectory("seccomp-trace-");
        try
        {
            var traceFile = Path.Combine(directory.FullName, "trace.txt");
            var workload = $"echo hello > {directory.FullName}/f; cat {directory.FullName}/f > /dev/null; rm {directory.FullName}/f; ls {directory.FullName} > /dev/null";
            var recorded = Record(traceFile, workload);
            Assert.SkipUnless(recorded is null, $"cannot record a trace: {recorded}");

            var text = File.ReadAllText(traceFile);
            var trace = StraceParser.Parse(text, traceFile);
            Assert.True(trace.IsOk, trace.Error?.ToString());
            var report = TraceReplay.Run(trace.Value, [("policy", ClassicAssembler.Assemble(Policy).Value)], AuditArch.X86_64).Value;

            var numbers = CallEntry().Matches(text).Select(m => int.Parse(m.Groups[1].Value)).ToList();
            int pids = text.Split('\n').Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).Distinct().Count();
            output.WriteLine($"{numbers.Count} calls, {pids} tasks: " + string.Join(", ", report.ByAction.Select(kv => $"{kv.Key} {kv.Value}")));

            Assert.Empty(report.Warnings);
            Assert.Equal(numbers.Count, report.Calls.Count);
            Assert.Equal(numbers.Count(n => n == 59), report.ByAction["LOG"]);
            Assert.Equal(numbers.Count(n => n is 87 or 263 or 41), report.ByAction.GetValueOrDefault("ERRNO"));
            Assert.Equal(numbers.Count(n => n is not (59 or 87 or 263 or 41)), report.ByAction["ALLOW"]);
            Assert.False(report.ByAction.ContainsKey("KILL_PROCESS"));
            Assert.True(report.BySyscall["unlinkat"].ContainsKey("ERRNO") || report.BySyscall["unlink"].ContainsKey("ERRNO"), "rm's unlink must be denied");
            Assert.True(report.ByAction["LOG"] >= 4, "sh, cat, rm and ls are executed");
            Assert.Equal(pids, report.Processes);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Returns null when the trace was recorded, else why not.
    private static string? Record(string traceFile, string workload)
    {
        try
        {
            var start = new ProcessStartInfo("strace", ["-f", "-n", "-e", "raw=all", "-o", traceFile, "/bin/sh", "-c", workload])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"strace exited with {process.ExitCode}: {errors.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"strace is not installed ({e.Message})";
        }
    }
}
