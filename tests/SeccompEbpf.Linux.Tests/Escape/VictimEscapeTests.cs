using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using SeccompEbpf.Linux.Tests.Enforcement;
using static SeccompEbpf.Linux.Tests.Escape.EscapeEnvironment;

namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>
/// The sandboxed command attacks a process of the same user that runs OUTSIDE the sandbox (the
/// victim program, standing for the user's shell): writing its memory, tracing it, taking its file
/// descriptors, signalling it. Every probe must say BLOCKED, and the victim must find its secret
/// intact and no SIGCONT received. One victim and one sandbox run per (policy, user).
/// </summary>
[Collection(EnforcementCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class VictimEscapeTests
{
    public static readonly string[] VictimProbes = ["victim-mem-write", "victim-ptrace-seize", "victim-vm-writev", "victim-pidfd-getfd", "victim-signal"];

    public static TheoryData<string, string, string> Cases => EscapeAssert.Cross(VictimProbes, [DefaultPolicy, DockerProfile, .. EmulatingPolicies], Users);

    private sealed record Outcome(CliRun Attack, string VictimStart, string? VictimReport, bool AliveAfterAttack);

    private static readonly ConcurrentDictionary<string, Lazy<Outcome>> Batches = new();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Victim_probe_is_blocked(string probe, string policy, string user)
    {
        var setup = Require(user);
        var options = PolicyArguments(setup, policy, user);
        var outcome = Batches.GetOrAdd($"{policy}|{user}", _ => new Lazy<Outcome>(() => Attack(setup, options, user))).Value;
        var context = $"victim: {outcome.VictimStart} / {outcome.VictimReport ?? "(no report)"}";
        Assert.True(outcome.AliveAfterAttack, $"the victim was not running during the attack, so the probes prove nothing\n{context}\n{outcome.Attack.Explain()}");
        // The attack is given the victim's own pid (printed by the victim, outside the sandbox); whether it can
        // see the victim's /proc entry is up to the sandbox, so TARGET's cmdline is only shown.
        EscapeAssert.Blocked(outcome.Attack, probe, context);
        Assert.True(outcome.VictimReport is not null, $"the victim gave no report\n{context}");
        var report = Report().Match(outcome.VictimReport!);
        Assert.True(report.Success, $"unexpected victim report: {outcome.VictimReport}");
        var changed = report.Groups["offsets"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries);
        switch (probe)
        {
            case "victim-mem-write":
                Assert.False(changed.Contains("0"), $"the victim's secret was changed through /proc/PID/mem\n{context}");
                break;
            case "victim-vm-writev":
                Assert.False(changed.Contains("1"), $"the victim's secret was changed with process_vm_writev\n{context}");
                break;
            case "victim-signal":
                Assert.True(report.Groups["signals"].Value == "0", $"the victim received the attack's SIGCONT\n{context}");
                break;
        }
    }

    /// <summary>Starts the victim as <paramref name="user"/> outside the sandbox, runs the attack, then ends the victim (EOF on its stdin) and reads its report.</summary>
    private static Outcome Attack(Setup setup, string[] options, string user)
    {
        using var victim = setup.Start(user, [setup.Victim], setup.Environment(user), out _);
        try
        {
            var first = victim.StandardOutput.ReadLineAsync();
            if (!first.Wait(TimeSpan.FromSeconds(20)) || first.Result is null)
            {
                victim.Kill();
                Assert.Fail($"the victim did not start: {victim.StandardError.ReadToEnd()}");
            }
            var start = Start().Match(first.Result!);
            Assert.True(start.Success, $"unexpected victim output: {first.Result}");
            var attack = setup.Run(user, setup.RunCommand(user, options, setup.Probe, "victim", start.Groups["pid"].Value, start.Groups["addr"].Value));
            bool alive = !victim.HasExited;
            var died = alive ? "" : $" (the victim had exited with {victim.ExitCode}: {victim.StandardError.ReadToEnd()})";
            victim.StandardInput.Close();
            var rest = victim.StandardOutput.ReadToEndAsync();
            if (!victim.WaitForExit(TimeSpan.FromSeconds(20))) victim.Kill();
            var report = rest.Wait(TimeSpan.FromSeconds(5)) ? rest.Result.Split('\n').FirstOrDefault(l => l.StartsWith("VICTIM secret", StringComparison.Ordinal)) : null;
            return new Outcome(attack, first.Result! + died, report, alive);
        }
        finally
        {
            if (!victim.HasExited) victim.Kill();
        }
    }

    [GeneratedRegex(@"^VICTIM pid=(?<pid>\d+) addr=(?<addr>0x[0-9a-f]+) len=\d+$")]
    private static partial Regex Start();

    [GeneratedRegex(@"^VICTIM secret (unchanged|CHANGED offsets=(?<offsets>[0-9,]+)) signals=(?<signals>\d+)$")]
    private static partial Regex Report();
}
