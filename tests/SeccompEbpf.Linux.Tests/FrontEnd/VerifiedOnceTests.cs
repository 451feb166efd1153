using SeccompEbpf.Bpf.Verifier;
using SeccompEbpf.Cli;
using SeccompEbpf.Linux.Seccomp;

namespace SeccompEbpf.Linux.Tests.FrontEnd;

/// <summary>
/// Each eBPF filter is verified once per run, plan or simulate: the loader keeps the verification and
/// the JIT compiles from its proofs (the verifier's own call counter, <see cref="VerificationCount"/>).
/// </summary>
public sealed class VerifiedOnceTests
{
    [Theory]
    [MemberData(nameof(FrontEndPolicies.Names), MemberType = typeof(FrontEndPolicies))]
    public void Run_verifies_each_eBPF_filter_once(string policy)
    {
        var options = new PolicyRunOptions(FrontEndPolicies.Options(policy));
        using var count = VerificationCount.Start();
        // Everything `run` does before the command starts: load, split, kernel filter, the decider's JIT builds.
        var built = PolicyRunPlan.Build(options);
        Assert.True(built.IsOk, built.Error?.ToString());
        (built.Value.Plan.Decider as IDisposable)?.Dispose();
        Assert.Equal(FrontEndPolicies.EbpfFilters(policy), count.Verifications);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("simulate", "--syscall", "getpid")]
    public void Plan_and_simulate_verify_each_eBPF_filter_once(params string[] command)
    {
        const string Policy = "docker-default.json+02_getpid_counter";
        string[] args = [command[0], .. FrontEndPolicies.Arguments(Policy), "--filter", FrontEndPolicies.Arguments("01_close_999")[1], .. command[1..]];
        using var count = VerificationCount.Start();
        int code = CliMain.Run(args, new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        Assert.Equal(2, count.Verifications);
    }

    [Fact]
    public void The_count_sees_every_verification()
    {
        // The counter itself: two loads, two verifications; a count started inside another adds to both.
        using var outer = VerificationCount.Start();
        SeccompEbpf.ProgramType.SeccompProgramLoader.Load([new(0xb7, 0, 0, 0, 0), new(0x95, 0, 0, 0, 0)], SeccompEbpf.ProgramType.LoaderPrivileges.Unprivileged);
        using (var inner = VerificationCount.Start())
        {
            SeccompEbpf.ProgramType.SeccompProgramLoader.Load([new(0xb7, 0, 0, 0, 0), new(0x95, 0, 0, 0, 0)], SeccompEbpf.ProgramType.LoaderPrivileges.Unprivileged);
            Assert.Equal(1, inner.Verifications);
        }
        Assert.Equal(2, outer.Verifications);
    }
}
