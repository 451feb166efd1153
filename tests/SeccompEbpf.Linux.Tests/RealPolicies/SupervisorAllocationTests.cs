using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Linux.Tests.Enforcement;

namespace SeccompEbpf.Linux.Tests.RealPolicies;

/// <summary>The supervisor's steady state: a notified call answered by a JIT-compiled eBPF filter allocates no managed memory.</summary>
[Collection(EnforcementCollection.Name)]
public sealed class SupervisorAllocationTests
{
    [Theory]
    [InlineData("1000000", 0)] // every getpid allowed by the counter
    [InlineData("50", 1)]      // the counter runs out: errno answers, no log
    public void Answering_with_an_eBPF_filter_allocates_nothing_after_warm_up(string limit, int errno)
    {
        var probe = EnforcementEnvironment.Require();
        var built = PolicyRunPlan.Build(RealPolicyBuild.RunOptions(RealPolicyBuild.TestFilter("getpid_limit", $"GETPID_LIMIT={limit}")));
        Assert.True(built.IsOk, built.Error?.ToString());
        var plan = built.Value.Plan;
        try
        {
            const int Calls = 3000;
            var run = SandboxTestRun.StartWith(plan, null, probe, "getpid", Calls.ToString());
            Assert.True(run.Result.ExitCode == 0, $"exit {run.Result.ExitCode}: {run.Result.Error}");
            int ok = errno == 0 ? Calls : int.Parse(limit);
            Assert.Equal($"ok {ok} fail {Calls - ok} errno {errno}\n", run.Output);
            Assert.True(run.Result.NotificationsHandled > NotifySupervisor.WarmUpNotifications);
            Assert.Equal(0, run.Result.SupervisorAllocatedAfterWarmUp);
        }
        finally
        {
            (plan.Decider as IDisposable)?.Dispose();
        }
    }
}
