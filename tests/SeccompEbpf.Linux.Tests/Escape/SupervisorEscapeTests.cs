using System.Collections.Concurrent;
using SeccompEbpf.Linux.Tests.Enforcement;
using static SeccompEbpf.Linux.Tests.Escape.EscapeEnvironment;

namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>
/// The sandboxed command attacks its supervisor (the `seccomp-ebpf run` process, its parent) under
/// each policy, as root and as an ordinary user: memory, ptrace, file descriptors, signals, a
/// listener of its own, and the terminal. Every probe must say BLOCKED. One sandbox run per
/// (policy, user) serves all the probes of a batch (each probe runs in its own child process of the
/// attack program); each (probe, policy, user) is its own test case.
/// </summary>
[Collection(EnforcementCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SupervisorEscapeTests
{
    public static readonly string[] SupervisorProbes =
        ["mem-write", "ptrace-seize", "vm-readv", "vm-writev", "pidfd-getfd", "kcmp", "signal", "nested-listener", "nested-listener-high-bits"];

    public static readonly string[] TerminalProbes = ["tiocsti", "tiocsti-high-bits", "tioclinux"];

    public static TheoryData<string, string, string> SupervisorCases => EscapeAssert.Cross(SupervisorProbes, [.. AllPolicies, .. EmulatingPolicies], Users);
    public static TheoryData<string, string, string> TerminalCases => EscapeAssert.Cross(TerminalProbes, AllPolicies, Users);

    private static readonly ConcurrentDictionary<string, Lazy<CliRun>> Batches = new();

    [Theory]
    [MemberData(nameof(SupervisorCases))]
    public void Supervisor_probe_is_blocked(string probe, string policy, string user)
    {
        var setup = Require(user);
        var options = PolicyArguments(setup, policy, user);
        var run = Batches.GetOrAdd($"supervisor|{policy}|{user}", _ => new Lazy<CliRun>(() =>
            setup.Run(user, setup.RunCommand(user, options, setup.Probe, "supervisor")))).Value;
        EscapeAssert.TargetIsTheSupervisor(run, pidKnown: true);
        EscapeAssert.Blocked(run, probe);
    }

    /// <summary>The terminal probes need a real terminal: the run is started under `script`, which gives it a pseudo-terminal as its controlling terminal and standard streams.</summary>
    [Theory]
    [MemberData(nameof(TerminalCases))]
    public void Terminal_probe_is_blocked(string probe, string policy, string user)
    {
        var setup = Require(user);
        var script = RequireTool("script");
        var options = PolicyArguments(setup, policy, user);
        // Outside the sandbox, on the terminal `script` made: name it (the probe also tries it by path), then exec `run`.
        string[] onTerminal = ["/bin/sh", "-c", "t=$(tty) || t=none; echo \"HARNESS-TTY $t\"; exec \"$@\" \"$t\"", "sh", .. setup.RunCommand(user, options, setup.Probe, "tty")];
        var run = Batches.GetOrAdd($"tty|{policy}|{user}", _ => new Lazy<CliRun>(() =>
            setup.Run(user, [script, "-qfec", Describe(onTerminal), "/dev/null"], holdStdin: true))).Value;
        var terminal = run.Line("HARNESS-TTY ");
        Assert.True(terminal is not null && terminal.StartsWith("HARNESS-TTY /dev/", StringComparison.Ordinal),
            $"no tty was obtained: `script` did not give the run a terminal ({terminal ?? "no HARNESS-TTY line"}), so the terminal probes prove nothing\n{run.Explain()}");
        EscapeAssert.TargetIsTheSupervisor(run, pidKnown: false);
        EscapeAssert.Blocked(run, probe, terminal);
    }
}
