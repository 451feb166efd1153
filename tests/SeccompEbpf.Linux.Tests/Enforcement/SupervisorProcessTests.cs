using System.Diagnostics;
using System.Text;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>
/// The `seccomp-ebpf run` command as its own process: fail-closed when the supervisor is killed,
/// signals forwarded to the command, and argument checks that read the caller's memory.
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed class SupervisorProcessTests
{
    private static Process StartCli(string outputFile, params string[] runArguments)
    {
        var start = new ProcessStartInfo(LauncherDotnet(), [EnforcementEnvironment.CliAssembly, "run", .. runArguments])
        {
            RedirectStandardError = true,
        };
        start.Environment["PROBE_OUT"] = outputFile;
        return Process.Start(start)!;
    }

    private static string LauncherDotnet() => EnforcementEnvironment.Launcher.Executable;

    private static string WaitForFile(string path, Func<string, bool> done, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var text = File.Exists(path) ? File.ReadAllText(path) : "";
            if (done(text) || watch.Elapsed > timeout) return text;
            Thread.Sleep(20);
        }
    }

    /// <summary>True when this process ignores <paramref name="signal"/> (SigIgn in /proc/self/status), as under nohup.</summary>
    private static bool IgnoredHere(int signal)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (signal - 1))) != 0;
    }

    [Fact]
    public void Killing_the_supervisor_makes_notified_calls_fail_and_never_allows_one()
    {
        var probe = EnforcementEnvironment.Require();
        var output = Path.GetTempFileName();
        try
        {
            using var cli = StartCli(output, "--filter", RealPolicies.RealPolicyBuild.TestFilter("getpid_limit", "GETPID_LIMIT=1000000"), "--",
                "/bin/sh", "-c", $"exec {probe} watch 10 5 > \"$PROBE_OUT\"");
            var before = WaitForFile(output, t => t.Split('\n').Count(l => l == "ok") >= 5, TimeSpan.FromSeconds(30));
            Assert.True(before.Split('\n').Count(l => l == "ok") >= 5, $"the sandboxed program did not start: {before}");

            cli.Kill(); // SIGKILL: no cleanup, the kernel closes the listener
            cli.WaitForExit();

            var text = WaitForFile(output, t => t.Contains("done"), TimeSpan.FromSeconds(30));
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("done", lines[^1]);
            var firstFailure = Array.FindIndex(lines, l => l.StartsWith("fail"));
            Assert.True(firstFailure > 0, $"no call failed after the supervisor died:\n{text}");
            // After the first failure nothing is allowed again, and every failure is ENOSYS.
            Assert.All(lines[firstFailure..^1], l => Assert.Equal("fail 38", l));
        }
        finally { File.Delete(output); }
    }

    [Theory]
    [InlineData(Interop.LinuxConstants.SIGTERM, "TERM")]
    [InlineData(Interop.LinuxConstants.SIGINT, "INT")] // no terminal here, so the wrapper forwards it
    [InlineData(Interop.LinuxConstants.SIGHUP, "HUP")]
    public void A_signal_to_the_wrapper_reaches_the_command(int signal, string name)
    {
        EnforcementEnvironment.Require();
        // An ignored signal is inherited through exec: the wrapper and the command rightly keep ignoring it.
        Assert.SkipWhen(IgnoredHere(signal), $"SIG{name} is ignored by the test process (started under nohup or similar), so the wrapper and the command ignore it too");
        var output = Path.GetTempFileName();
        using var cli = StartCli(output, "--",
            "/bin/sh", "-c", $"trap 'echo got-{name} > \"$PROBE_OUT\"; exit 3' {name}; echo ready > \"$PROBE_OUT\"; while :; do sleep 0.05; done");
        try
        {
            var ready = WaitForFile(output, t => t.Contains("ready"), TimeSpan.FromSeconds(30));
            Assert.Contains("ready", ready);
            Assert.Equal(0, Interop.LibC.Kill(cli.Id, signal));
            Assert.True(cli.WaitForExit(TimeSpan.FromSeconds(30)), $"the wrapper did not end after SIG{name}");
            Assert.Equal(3, cli.ExitCode);
            Assert.Contains($"got-{name}", File.ReadAllText(output));
        }
        finally
        {
            if (!cli.HasExited) cli.Kill(entireProcessTree: true); // a failed case must not leave the command looping
            File.Delete(output);
        }
    }

    [Fact]
    public void Decider_reads_the_path_argument_from_the_callers_memory()
    {
        var probe = EnforcementEnvironment.Require();
        var seen = new List<string>();
        var decider = new FunctionDecider((n, process) =>
        {
            var path = process.TryReadString(n.Data.Args[0]);
            if (path is null) return SeccompAction.ErrnoAction(14); // unreadable: EFAULT, never allow blindly
            var text = Encoding.UTF8.GetString(path);
            lock (seen) seen.Add(text);
            return text.StartsWith("/etc") ? SeccompAction.ErrnoAction(13) : SeccompAction.AllowAction;
        });
        var run = SandboxTestRun.Start(decider, [NativeSyscalls.Chdir], "/bin/sh", "-c",
            "cd /tmp && echo in-tmp; cd /etc 2>/dev/null && echo in-etc || echo etc-denied; cd /usr && pwd");
        Assert.Equal("in-tmp\netc-denied\n/usr\n", run.Output);
        Assert.Contains("/etc", seen);
        Assert.Contains("/tmp", seen);
    }
}
