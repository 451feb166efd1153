using System.Diagnostics;
using SeccompEbpf.Linux.Tests.Enforcement;

namespace SeccompEbpf.Linux.Tests.RealPolicies;

/// <summary>
/// `seccomp-ebpf run` with real policies on real processes: the built-in default policy, the example
/// eBPF filters (split between the kernel and the supervisor), and fail-closed when the supervisor dies.
/// Needs root or user notification, gcc and clang-19; skips with the reason otherwise.
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed class RealPolicyTests
{
    private const int EPERM = Bpf.LinuxErrno.EPERM, EACCES = Bpf.LinuxErrno.EACCES;

    private static (int Code, string Out, string Err) Run(params string[] runArguments)
    {
        var start = new ProcessStartInfo(EnforcementEnvironment.Launcher.Executable, [EnforcementEnvironment.CliAssembly, "run", .. runArguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var cli = Process.Start(start)!;
        var err = cli.StandardError.ReadToEndAsync();
        var output = cli.StandardOutput.ReadToEnd();
        Assert.True(cli.WaitForExit(60_000), "run did not finish in 60 s");
        return (cli.ExitCode, output, err.Result);
    }

    [Fact]
    public void Default_policy_runs_coreutils_and_a_shell_script()
    {
        EnforcementEnvironment.Require();
        var dir = Directory.CreateTempSubdirectory("seccomp-ebpf-default-").FullName;
        try
        {
            var script = $"set -e; cd {dir}; echo one > a; cp a b; ls; cat b | wc -l; sort -r a b | uniq; mkdir d && mv b d/ && ls d; date +%Y >/dev/null; echo done";
            var (code, output, err) = Run("--", "/bin/sh", "-c", script);
            Assert.True(code == 0, $"exit {code}: {err}");
            Assert.Equal("a\nb\n1\none\nb\ndone\n", output);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Default_policy_refuses_unshare_with_EPERM_and_the_command_sees_it()
    {
        EnforcementEnvironment.Require();
        var (code, output, _) = Run("--", "/bin/sh", "-c", "unshare -U true 2>&1; echo \"status $?\"");
        Assert.Equal(0, code);
        Assert.Contains("Operation not permitted", output);
        Assert.EndsWith("status 1\n", output);
    }

    [Fact]
    public void Example_1_close_999_gets_EPERM_other_closes_work()
    {
        var probe = EnforcementEnvironment.Require();
        var filter = RealPolicyBuild.Example("01_close_999");
        Assert.Equal($"close -1 errno {EPERM}\n", Run("--filter", filter, "--", probe, "close", "999").Out);
        Assert.Equal($"close -1 errno 9\n", Run("--filter", filter, "--", probe, "close", "998").Out); // EBADF: the kernel ran it
    }

    [Theory]
    [InlineData("getpid 10", 3, 7)]
    [InlineData("threads 4 5", 3, 17)]
    [InlineData("fork 3 4", 3, 9)]
    public void Example_2_counts_getpid_across_threads_and_children_like_a_shared_kernel_map(string mode, int ok, int fail)
    {
        var probe = EnforcementEnvironment.Require();
        var filter = RealPolicyBuild.Example("02_getpid_counter"); // max_getpid = 3
        var (code, output, err) = Run(["--filter", filter, "--", probe, .. mode.Split(' ')]);
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Equal($"ok {ok} fail {fail} errno {EPERM}\n", output);
    }

    [Fact]
    public void Example_3_with_an_empty_policy_map_allows_everything()
    {
        var probe = EnforcementEnvironment.Require();
        var filter = RealPolicyBuild.Example("03_policy_map");
        var (code, output, err) = Run("--filter", filter, "--", probe, "getpid", "5");
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Equal("ok 5 fail 0 errno 0\n", output);
    }

    [Fact]
    public void Example_4_allows_one_exec_per_process()
    {
        EnforcementEnvironment.Require();
        var probe = RealPolicyBuild.Probe();
        var filter = RealPolicyBuild.Example("04_exec_once");
        // The launch itself is this process's one exec; a second one is refused.
        Assert.Equal($"exec -1 errno {EPERM}\n", Run("--filter", filter, "--", probe, "exec-again", probe).Out);
        // A forked child is a new process: its own first exec is allowed.
        Assert.Equal("hello\nchild 0\n", Run("--filter", filter, "--", probe, "exec-in-child", probe).Out);
    }

    [Fact]
    public void Example_5_opens_listed_paths_and_refuses_others()
    {
        EnforcementEnvironment.Require();
        var probe = RealPolicyBuild.Probe();
        var filter = RealPolicyBuild.Example("05_openat_paths");
        var (code, output, err) = Run("--filter", filter, "--map-key", "allowed_paths=/etc/hostname", "--map-key", "allowed_paths=/proc/self/status",
            "--", probe, "open", "/etc/hostname", "/etc/passwd", "/proc/self/status", "/etc/hostname/");
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.Equal($"open /etc/hostname ok\nopen /etc/passwd errno {EACCES}\nopen /proc/self/status ok\nopen /etc/hostname/ errno {EACCES}\n", output);
    }

    [Fact]
    public void Stacked_filters_the_most_restrictive_verdict_wins_and_the_log_names_the_filter()
    {
        var probe = EnforcementEnvironment.Require();
        var log = Path.GetTempFileName();
        try
        {
            var (code, output, err) = Run("--filter", RealPolicyBuild.Example("02_getpid_counter"), "--filter", RealPolicyBuild.Example("01_close_999"),
                "--log", log, "--", probe, "close", "999");
            Assert.True(code == 0, $"exit {code}: {err}");
            Assert.Equal($"close -1 errno {EPERM}\n", output);
            var line = Assert.Single(File.ReadAllLines(log));
            Assert.Contains("\"syscall\":\"close\"", line);
            Assert.Contains("\"action\":\"ERRNO(1)\"", line);
            Assert.Contains("01_close_999", line);
        }
        finally { File.Delete(log); }
    }

    [Fact]
    public void A_filter_the_verifier_rejects_is_bad_input_before_anything_runs()
    {
        EnforcementEnvironment.Require();
        var (code, _, err) = Run("--filter", "/nonexistent/filter.o", "--", "/bin/true");
        Assert.Equal(SeccompEbpf.Cli.ExitCodes.BadInput, code);
        Assert.Contains("/nonexistent/filter.o", err);
    }

    [Fact]
    public void Killing_the_supervisor_of_a_real_policy_fails_notified_calls_and_allows_none()
    {
        var probe = EnforcementEnvironment.Require();
        var filter = RealPolicyBuild.TestFilter("getpid_limit", "GETPID_LIMIT=1000000");
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(EnforcementEnvironment.Launcher.Executable,
                [EnforcementEnvironment.CliAssembly, "run", "--filter", filter, "--", "/bin/sh", "-c", $"exec {probe} watch 10 5 > {output}"]);
            using var cli = Process.Start(start)!;
            var before = WaitForFile(output, t => t.Split('\n').Count(l => l == "ok") >= 5);
            Assert.True(before.Split('\n').Count(l => l == "ok") >= 5, $"the sandboxed program did not start: {before}");
            cli.Kill();
            cli.WaitForExit();
            var lines = WaitForFile(output, t => t.Contains("done")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("done", lines[^1]);
            int firstFailure = Array.FindIndex(lines, l => l.StartsWith("fail"));
            Assert.True(firstFailure > 0, "no call failed after the supervisor died");
            Assert.All(lines[firstFailure..^1], l => Assert.Equal("fail 38", l)); // ENOSYS, never ok again
        }
        finally { File.Delete(output); }
    }

    private static string WaitForFile(string path, Func<string, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var text = File.Exists(path) ? File.ReadAllText(path) : "";
            if (done(text) || watch.Elapsed > TimeSpan.FromSeconds(30)) return text;
            Thread.Sleep(20);
        }
    }
}
