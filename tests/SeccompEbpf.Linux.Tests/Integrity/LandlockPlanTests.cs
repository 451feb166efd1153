using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Policy.Access;
using static SeccompEbpf.Linux.Interop.Landlock;

namespace SeccompEbpf.Linux.Tests.Integrity;

/// <summary>How access rules become a Landlock ruleset for each kernel ABI (the kernel applies it in the escape and path-rule tests).</summary>
public sealed class LandlockPlanTests
{
    private static readonly AccessRules ReadUsrWriteTmp = new([new("/usr", PathAccess.Read | PathAccess.Execute), new("/tmp", PathAccess.Read | PathAccess.Write)], []);

    [Fact]
    public void Without_rules_the_domain_only_scopes_signals_where_the_kernel_can()
    {
        var warnings = new List<string>();
        var modern = LandlockPlan.For(7, AccessRules.None, warnings, out var error)!.Value;
        Assert.Null(error);
        Assert.Equal((0ul, 0ul, ScopeSignal), (modern.HandledFs, modern.HandledNet, modern.Scoped));
        Assert.Empty(modern.Paths);

        var old = LandlockPlan.For(3, AccessRules.None, warnings, out error)!.Value;
        Assert.Equal(FsMakeBlock, old.HandledFs); // something must be handled; granted beneath / so nothing changes
        Assert.Equal([("/", FsMakeBlock)], old.Paths);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Path_rules_handle_every_file_right_the_abi_knows_and_grant_per_path()
    {
        var warnings = new List<string>();
        var request = LandlockPlan.For(7, ReadUsrWriteTmp, warnings, out _)!.Value;
        Assert.Equal(FsRefer | FsTruncate, request.HandledFs & (FsRefer | FsTruncate));
        var usr = request.Paths.Single(p => p.Path == "/usr").Rights;
        var tmp = request.Paths.Single(p => p.Path == "/tmp").Rights;
        Assert.Equal(FsReadFile | FsReadDir | FsExecute, usr);
        Assert.True((tmp & (FsWriteFile | FsMakeReg | FsRemoveFile | FsTruncate | FsRefer)) == (FsWriteFile | FsMakeReg | FsRemoveFile | FsTruncate | FsRefer));
        Assert.Equal(0ul, tmp & FsExecute);
        Assert.Empty(warnings);
    }

    [Fact]
    public void An_old_abi_leaves_out_what_it_does_not_know_and_says_so()
    {
        var warnings = new List<string>();
        var request = LandlockPlan.For(1, ReadUsrWriteTmp, warnings, out var error)!.Value;
        Assert.Null(error);
        Assert.Equal(0ul, request.HandledFs & (FsRefer | FsTruncate));
        Assert.Contains(warnings, w => w.Contains("truncate"));
        Assert.Contains(warnings, w => w.Contains("rename"));
    }

    [Fact]
    public void What_the_kernel_cannot_enforce_at_all_is_an_error()
    {
        var tcp = new AccessRules([], [new TcpPortRule(8080, TcpAccess.Bind)]);
        Assert.Null(LandlockPlan.For(3, tcp, [], out var error));
        Assert.Contains("TCP", error);
        Assert.Null(LandlockPlan.For(0, ReadUsrWriteTmp, [], out error));
        Assert.Contains("no Landlock", error);
        var request = LandlockPlan.For(4, tcp, [], out error)!.Value;
        Assert.Equal(NetBindTcp | NetConnectTcp, request.HandledNet);
        Assert.Equal([(8080, NetBindTcp)], request.Ports);
    }
}

/// <summary>Access rules bind the command, not the supervisor: with a filter whose opens the supervisor carries out, `run` refuses them.</summary>
public sealed class AccessRulesWithEmulationTests
{
    [Fact]
    public void File_rules_and_a_filter_that_reads_caller_memory_are_refused_together()
    {
        var built = Seccomp.PolicyRunPlan.Build(RealPolicies.RealPolicyBuild.RunOptions(RealPolicies.RealPolicyBuild.Example("05_openat_paths")));
        Assert.True(built.IsOk, built.Error?.ToString());
        var plan = built.Value.Plan;
        Assert.True(plan.ReadsCallerMemory);
        var withRules = plan with { Access = new AccessRules([new PathRule("/usr", PathAccess.Read)], []) };
        var (launch, error, _) = SandboxHardening.Prepare(withRules, new SandboxOptions());
        Assert.Null(launch);
        Assert.Contains("cannot be combined with a filter that reads the caller's memory", error);
        (plan.Decider as IDisposable)?.Dispose();

        var counter = Seccomp.PolicyRunPlan.Build(RealPolicies.RealPolicyBuild.RunOptions(RealPolicies.RealPolicyBuild.Example("02_getpid_counter")));
        Assert.False(counter.Value.Plan.ReadsCallerMemory);
        (counter.Value.Plan.Decider as IDisposable)?.Dispose();
    }
}
