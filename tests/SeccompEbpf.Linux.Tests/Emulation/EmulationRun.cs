using System.Diagnostics;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Linux.Tests.RealPolicies;

namespace SeccompEbpf.Linux.Tests.Emulation;

/// <summary>Runs a program under a real eBPF policy (in this process's supervisor) or without any sandbox, output captured.</summary>
internal static class EmulationRun
{
    /// <summary>The filter that reads the path of every open-family call and allows it: every open is emulated.</summary>
    public static string ReadAllOpensFilter(params string[] defines) => RealPolicyBuild.FilterAt("Emulation/Filters/read_open_paths.c", defines);

    public static string Probe => RealPolicyBuild.StaticProgram("Emulation/Programs/open_probe.c");

    /// <summary>Runs <paramref name="command"/> under the filters; the output and the decision log's lines.</summary>
    public static (string Output, string[] Log) Sandboxed(PolicyRunOptions sources, string command, params string[] args)
    {
        EnforcementEnvironment.Require();
        var built = PolicyRunPlan.Build(sources);
        Assert.True(built.IsOk, built.Error?.ToString());
        var plan = built.Value.Plan;
        var log = Path.GetTempFileName();
        try
        {
            var run = SandboxTestRun.StartWith(plan, log, command, args);
            Assert.True(run.Result.ExitCode == 0, $"exit {run.Result.ExitCode}: {run.Result.Error}\n{run.Output}");
            return (run.Output, File.ReadAllLines(log));
        }
        finally
        {
            (plan.Decider as IDisposable)?.Dispose();
            File.Delete(log);
        }
    }

    public static (string Output, string[] Log) Sandboxed(string filter, string command, params string[] args) =>
        Sandboxed(RealPolicyBuild.RunOptions(filter), command, args);

    /// <summary>
    /// The same command with no sandbox at all, for comparison: its standard output is a temporary
    /// file as in <see cref="SandboxTestRun"/>, so that /dev/stdout is the same kind of file in both runs,
    /// and it gets fds 0-2 only, as under `run`.
    /// </summary>
    public static string Unsandboxed(string command, params string[] args)
    {
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true }; // bash: dash cannot close fds above 9
            // Only fds 0-2, as `run` hands a command: whatever else the test runner inherited is closed first.
            const string onlyStandardFds = "for f in /proc/$$/fd/*; do n=${f##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; ";
            foreach (var arg in (string[])["-c", onlyStandardFds + "exec \"$0\" \"$@\" > \"$OUTPUT\"", command, .. args]) start.ArgumentList.Add(arg);
            start.Environment["OUTPUT"] = output;
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), $"{command} did not finish in 60 s");
            Assert.True(process.ExitCode == 0, $"{command} exited {process.ExitCode}: {errors}");
            return File.ReadAllText(output);
        }
        finally { File.Delete(output); }
    }
}
