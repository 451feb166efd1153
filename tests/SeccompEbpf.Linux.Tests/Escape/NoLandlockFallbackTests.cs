using System.Collections.Concurrent;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Linux.Tests.RealPolicies;
using static SeccompEbpf.Linux.Tests.Escape.EscapeEnvironment;

namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>
/// The supervisor must hold on kernels without Landlock too: the same supervisor probes, with `run`
/// told to behave as if Landlock were absent (no domain; the base filter then names the supervisor's
/// pid for signals). Non-dumpable plus no CAP_SYS_PTRACE must stop every memory, ptrace and fd probe,
/// the base filter every signal and the nested listener. This test process is the supervisor (it
/// calls Sandbox.Run), as root; the policies are the default one and the filter-only one, which allows
/// ptrace, process_vm_* and kcmp.
/// </summary>
[Collection(EnforcementCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NoLandlockFallbackTests
{
    private static readonly ConcurrentDictionary<string, Lazy<CliRun>> Batches = new();

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var probe in SupervisorEscapeTests.SupervisorProbes)
                foreach (var policy in new[] { DefaultPolicy, FilterOnly })
                    data.Add(probe, policy);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Supervisor_probe_is_blocked_without_landlock(string probe, string policy)
    {
        var setup = Require(Root);
        var run = Batches.GetOrAdd(policy, _ => new Lazy<CliRun>(() => RunProbes(setup, policy))).Value;
        Assert.True(run.Line("TARGET pid=") is { } target && target.StartsWith($"TARGET pid={Environment.ProcessId} ", StringComparison.Ordinal),
            $"the attack did not aim at this process, its supervisor\n{run.Explain()}");
        EscapeAssert.Blocked(run, probe);
    }

    private static CliRun RunProbes(Setup setup, string policy)
    {
        RunPlan plan;
        if (policy == DefaultPolicy) plan = BuiltInDefaultPlan.ForThisMachine() ?? Build(new PolicyRunOptions(new SeccompEbpf.Policy.Sources.PolicyOptions()));
        else
        {
            var (filter, error) = FilterObject.Value;
            Assert.SkipWhen(filter is null && error!.StartsWith("missing:"), error ?? "");
            Assert.True(filter is not null, error);
            plan = Build(RealPolicyBuild.RunOptions(filter!));
        }
        var output = Path.GetTempFileName();
        var warnings = new List<string>();
        try
        {
            var started = DateTime.UtcNow;
            var result = Sandbox.Run(new SandboxRequest(plan, setup.Probe, ["supervisor"])
            {
                Launcher = EnforcementEnvironment.Launcher,
                StandardOutputPath = output,
                ForwardSignals = false,
                Options = new SandboxOptions { IgnoreLandlock = true },
                Warn = warnings.Add,
            });
            Assert.Contains(warnings, w => w.Contains("no Landlock"));
            return new CliRun(result.ExitCode, File.ReadAllText(output), result.Error ?? "", Environment.ProcessId,
                $"Sandbox.Run({policy}, no Landlock) {setup.Probe} supervisor", new Dictionary<string, string>(), DateTime.UtcNow - started);
        }
        finally
        {
            File.Delete(output);
            (plan.Decider as IDisposable)?.Dispose();
        }
    }

    private static RunPlan Build(PolicyRunOptions sources)
    {
        var built = PolicyRunPlan.Build(sources);
        Assert.True(built.IsOk, built.Error?.ToString());
        return built.Value.Plan;
    }
}
