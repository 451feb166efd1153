using System.Text.RegularExpressions;
using SeccompEbpf.Linux.Tests.Enforcement;
using static SeccompEbpf.Linux.Tests.Escape.EscapeEnvironment;

namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>
/// What the command is given: only descriptors 0-2 (unless `--preserve-fds N` passes 3..3+N-1, as
/// crun and runc do), no_new_privs and the filter, no CAP_SYS_PTRACE for a root command (unless
/// `--keep-cap-sys-ptrace`), and exactly the environment `run` was given.
/// </summary>
[Collection(EnforcementCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class InheritanceEscapeTests
{
    public static TheoryData<string> AllUsers => new(Users);

    private static string Bash() => RequireTool("bash");

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Only_descriptors_0_to_2_reach_the_command(string user)
    {
        var setup = Require(user);
        var run = setup.Run(user, [Bash(), "-c", "exec 7</etc/hostname; exec \"$@\"", "bash", .. setup.RunCommand(user, [], setup.Probe, "fds")]);
        EscapeAssert.Blocked(run, "fds", "fd 7 (/etc/hostname) was open in the process that started `run`");
    }

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Preserve_fds_passes_exactly_3_to_3_plus_N_minus_1(string user)
    {
        var setup = Require(user);
        var open = string.Join(" ", Enumerable.Range(3, 6).Select(fd => $"{fd}</etc/hostname")); // 3..8
        var run = setup.Run(user, [Bash(), "-c", $"exec {open}; exec \"$@\"", "bash", .. setup.RunCommand(user, ["--preserve-fds", "5"], setup.Probe, "fds")]);
        Assert.True(run.ExitCode == 0, $"`run --preserve-fds 5` failed\n{run.Explain()}");
        var fds = run.Line("FDS ");
        Assert.True(fds == "FDS 0 1 2 3 4 5 6 7", $"with fds 3-8 open and --preserve-fds 5 the command must have exactly 0-7, it has: {fds}\n{run.Explain()}");
    }

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Command_has_no_new_privs_a_filter_and_no_cap_sys_ptrace(string user)
    {
        var setup = Require(user);
        var run = setup.Run(user, setup.RunCommand(user, [], setup.Probe, "status"));
        EscapeAssert.Blocked(run, "status");
    }

    [Fact]
    public void Keep_cap_sys_ptrace_keeps_it_for_a_root_command()
    {
        var setup = Require(Root);
        var run = setup.Run(Root, setup.RunCommand(Root, ["--keep-cap-sys-ptrace"], setup.Probe, "status"));
        Assert.True(run.ExitCode == 0, $"`run --keep-cap-sys-ptrace` failed\n{run.Explain()}");
        var status = Status().Match(run.Line("STATUS ") ?? "");
        Assert.True(status.Success, $"no status line\n{run.Explain()}");
        var effective = Convert.ToUInt64(status.Groups["eff"].Value, 16);
        Assert.True((effective & (1UL << 19)) != 0, $"CAP_SYS_PTRACE was not kept\n{run.Explain()}");
        Assert.True(status.Groups["nnp"].Value == "1" && status.Groups["mode"].Value == "2", $"the command is not filtered\n{run.Explain()}");
    }

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Environment_reaches_the_command_unchanged(string user)
    {
        var setup = Require(user);
        var extra = new Dictionary<string, string> { ["ESCAPE_SUITE_ODD"] = "a b=c\nd 'e' \"f\"", ["ESCAPE_SUITE_EMPTY"] = "" };
        var run = setup.Run(user, setup.RunCommand(user, [], "/usr/bin/env", "-0"), extra: extra);
        Assert.True(run.ExitCode == 0, run.Explain());
        var inside = run.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        var given = run.Environment.Select(kv => $"{kv.Key}={kv.Value}").Order(StringComparer.Ordinal).ToList();
        var added = inside.Except(given).ToList();
        var removed = given.Except(inside).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"the environment inside differs from the one given to `run`\nadded or changed: {string.Join(" | ", added)}\nremoved or changed: {string.Join(" | ", removed)}\n{run.Explain()}");
    }

    [GeneratedRegex(@"NoNewPrivs=(?<nnp>-?\d+) Seccomp=(?<mode>-?\d+) .*CapEff=(?<eff>[0-9a-f]+)")]
    private static partial Regex Status();
}
