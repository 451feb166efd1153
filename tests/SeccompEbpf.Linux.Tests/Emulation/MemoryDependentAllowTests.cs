using System.Diagnostics;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Linux.Tests.RealPolicies;

namespace SeccompEbpf.Linux.Tests.Emulation;

/// <summary>
/// An ALLOW that depended on the caller's memory, for a call the supervisor cannot carry out itself
/// (here chdir): refused with EPERM, logged and said on stderr; continued only with the racy opt-in.
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed class MemoryDependentAllowTests
{
    private const string Script = "cd /tmp 2>/dev/null && echo moved || echo refused";

    [Fact]
    public void A_memory_dependent_ALLOW_of_another_call_fails_with_EPERM_and_says_why()
    {
        EnforcementEnvironment.Require();
        var filter = RealPolicyBuild.FilterAt("Emulation/Filters/read_chdir_path.c");
        var log = Path.GetTempFileName();
        try
        {
            var (output, err) = RunCli("--filter", filter, "--log", log, "--", "/bin/sh", "-c", Script);
            Assert.Equal("refused\n", output);
            Assert.Contains("chdir: memory-dependent ALLOW cannot be carried out race-free", err);
            Assert.Contains("--allow-racy-memory-checks", err);
            var line = Assert.Single(File.ReadAllLines(log));
            Assert.Contains("\"syscall\":\"chdir\"", line);
            Assert.Contains("\"action\":\"ERRNO(1)\"", line);
            Assert.Contains("\"note\":\"memory-dependent ALLOW cannot be carried out race-free\"", line);
        }
        finally { File.Delete(log); }
    }

    private static (string Output, string Errors) RunCli(params string[] runArguments)
    {
        var start = new ProcessStartInfo(EnforcementEnvironment.Launcher.Executable, [EnforcementEnvironment.CliAssembly, "run", .. runArguments])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var cli = Process.Start(start)!;
        var errors = cli.StandardError.ReadToEndAsync();
        var output = cli.StandardOutput.ReadToEnd();
        Assert.True(cli.WaitForExit(60_000), "run did not finish in 60 s");
        return (output, errors.Result);
    }

    [Fact]
    public void With_the_racy_opt_in_the_call_is_continued_and_logged_as_racy()
    {
        var sources = RealPolicyBuild.RunOptions(RealPolicyBuild.FilterAt("Emulation/Filters/read_chdir_path.c")) with { AllowRacyMemoryChecks = true };
        var (output, log) = EmulationRun.Sandboxed(sources, "/bin/sh", "-c", Script);
        Assert.Equal("moved\n", output);
        var line = Assert.Single(log);
        Assert.Contains("\"syscall\":\"chdir\"", line);
        Assert.Contains("\"action\":\"ALLOW\"", line);
        Assert.Contains("\"note\":\"racy: memory-dependent ALLOW continued", line);
    }

    [Fact]
    public void A_plan_with_a_supervisor_asks_for_a_wait_only_a_fatal_signal_ends()
    {
        // An emulated open (which may have created a file) must not be interrupted and repeated.
        EnforcementEnvironment.Require();
        var built = PolicyRunPlan.Build(RealPolicyBuild.RunOptions(RealPolicyBuild.Example("05_openat_paths")));
        Assert.True(built.IsOk, built.Error?.ToString());
        var launch = Launch.SandboxHardening.Prepare(built.Value.Plan, new Launch.SandboxOptions()).Plan!.Value;
        Assert.True(launch.WantsListener);
        Assert.Equal(Model.SeccompFilterFlags.WaitKillableRecv, launch.ExtraFilterFlags & Model.SeccompFilterFlags.WaitKillableRecv);
        (built.Value.Plan.Decider as IDisposable)?.Dispose();
    }
}
