using SeccompEbpf.Bpf;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Model.SeccompFilterFlags;

namespace SeccompEbpf.Tests.Model;

public class SeccompAttachTests
{
    private static readonly ClassicInstruction[] Allow = [ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.Allow)];
    private static readonly ClassicInstruction[] Invalid = [ClassicInstruction.Stmt(ClassicOpcodes.LdAbsW, 1), .. Allow];

    private static SeccompThread Thread(bool noNewPrivs = true, bool capSysAdmin = false, KernelFlavor flavor = KernelFlavor.Upstream)
    {
        var thread = new SeccompSystem(flavor).Spawn(new SeccompCredentials(capSysAdmin, UserNamespaceId.Initial));
        if (noNewPrivs) thread.SetNoNewPrivs();
        return thread;
    }

    private static void AssertErrno(int errno, AttachResult result) => Assert.True(result.Errno == errno, $"expected {LinuxErrno.Name(errno)}, got {result}");

    [Fact]
    public void NeedsNoNewPrivsOrCapSysAdmin()
    {
        AssertErrno(LinuxErrno.EACCES, SeccompAttach.AttachClassic(Thread(noNewPrivs: false), Allow, 0));
        Assert.True(SeccompAttach.AttachClassic(Thread(noNewPrivs: false, capSysAdmin: true), Allow, 0).IsSuccess);
        Assert.True(SeccompAttach.AttachClassic(Thread(), Allow, 0).IsSuccess);
    }

    [Fact]
    public void ClassicChecksFollowTheUpstreamOrder()
    {
        // Length first (EINVAL), then privilege (EACCES), then the checker (EINVAL).
        AssertErrno(LinuxErrno.EINVAL, SeccompAttach.AttachClassic(Thread(noNewPrivs: false), [], 0));
        AssertErrno(LinuxErrno.EACCES, SeccompAttach.AttachClassic(Thread(noNewPrivs: false), Invalid, 0));
        var invalid = SeccompAttach.AttachClassic(Thread(), Invalid, 0);
        AssertErrno(LinuxErrno.EINVAL, invalid);
        Assert.Equal(0, invalid.FilterError!.InstructionIndex);
    }

    [Theory]
    [InlineData(1u << 6)]
    [InlineData(1u << 31)]
    [InlineData(Tsync | NewListener)]
    [InlineData(WaitKillableRecv)]
    [InlineData(WaitKillableRecv | Log)]
    public void FlagCombinationsTheUpstreamKernelRefuses(uint flags)
    {
        // Flags are checked before anything else: even an unprivileged caller gets EINVAL.
        AssertErrno(LinuxErrno.EINVAL, SeccompAttach.AttachClassic(Thread(noNewPrivs: false), Allow, flags));
    }

    [Theory]
    [InlineData(Log)]
    [InlineData(SpecAllow)]
    [InlineData(NewListener)]
    [InlineData(NewListener | WaitKillableRecv)]
    [InlineData(Tsync | NewListener | TsyncEsrch)]
    [InlineData(Tsync | Log | SpecAllow)]
    public void FlagCombinationsTheUpstreamKernelAccepts(uint flags) =>
        Assert.True(SeccompAttach.AttachClassic(Thread(), Allow, flags).IsSuccess);

    [Fact]
    public void BitFiveMeansExtendedInTheProposal()
    {
        // The proposal has no WAIT_KILLABLE_RECV: bit 5 alone with a classic filter is a mismatch.
        AssertErrno(LinuxErrno.EINVAL, SeccompAttach.AttachClassic(Thread(flavor: KernelFlavor.Proposal), Allow, Extended));
        Assert.True(SeccompAttach.AttachClassic(Thread(flavor: KernelFlavor.Proposal), Allow, Log).IsSuccess);
        Assert.Equal("TSYNC|EXTENDED", Describe(Tsync | Extended, KernelFlavor.Proposal));
        Assert.Equal("TSYNC|WAIT_KILLABLE_RECV|0x40", Describe(Tsync | WaitKillableRecv | 0x40, KernelFlavor.Upstream));
    }

    [Fact]
    public void OnlyOneListenerPerChain()
    {
        var thread = Thread();
        Assert.NotNull(SeccompAttach.AttachClassic(thread, Allow, NewListener).Listener);
        Assert.True(SeccompAttach.AttachClassic(thread, Allow, 0).IsSuccess);
        AssertErrno(LinuxErrno.EBUSY, SeccompAttach.AttachClassic(thread, Allow, NewListener));
        // A forked child inherits the filter with the listener, so it cannot add another either.
        AssertErrno(LinuxErrno.EBUSY, SeccompAttach.AttachClassic(thread.Fork(), Allow, NewListener));
    }

    [Theory]
    [InlineData(1, 3641)]     // 1 classic instruction = 5 converted
    [InlineData(2, 3277)]
    [InlineData(100, 303)]
    [InlineData(4096, 7)]
    public void TotalInstructionLimitCountsConvertedLengthsPlusFourPerOlderFilter(int length, int expectedFilters)
    {
        // Numbers measured on Linux 6.18 with the same filters (ld #5 ... ret ALLOW).
        var filter = Enumerable.Repeat(ClassicInstruction.Stmt(ClassicOpcodes.LdImm, 5), length - 1).Append(Allow[0]).ToArray();
        var thread = Thread();
        int attached = 0;
        AttachResult result;
        while ((result = SeccompAttach.AttachClassic(thread, filter, 0)).IsSuccess) attached++;
        Assert.Equal(expectedFilters, attached);
        AssertErrno(LinuxErrno.ENOMEM, result);
        Assert.Equal(attached, thread.Chain!.Count);
    }

    [Fact]
    public void TsyncGivesEveryThreadTheNewChain()
    {
        var main = Thread(noNewPrivs: false, capSysAdmin: true);
        var sibling = main.CloneThread();
        main.SetNoNewPrivs();
        Assert.True(SeccompAttach.AttachClassic(main, Allow, Tsync).IsSuccess);
        Assert.Same(main.Chain, sibling.Chain);
        Assert.True(sibling.NoNewPrivs);
    }

    [Fact]
    public void TsyncFailsWhenAnotherThreadHasItsOwnFilters()
    {
        var main = Thread();
        var sibling = main.CloneThread();
        Assert.True(SeccompAttach.AttachClassic(sibling, Allow, 0).IsSuccess);
        var result = SeccompAttach.AttachClassic(main, Allow, Tsync);
        Assert.False(result.IsSuccess);
        Assert.Equal(sibling.Tid, result.FailedThread);
        Assert.Null(main.Chain);
        AssertErrno(LinuxErrno.ESRCH, SeccompAttach.AttachClassic(main, Allow, Tsync | TsyncEsrch));
    }

    [Fact]
    public void TsyncAcceptsThreadsWhoseFiltersArePartOfTheCallers()
    {
        var main = Thread();
        Assert.True(SeccompAttach.AttachClassic(main, Allow, 0).IsSuccess);
        var sibling = main.CloneThread();
        Assert.True(SeccompAttach.AttachClassic(main, Allow, 0).IsSuccess);
        Assert.True(SeccompAttach.AttachClassic(main, Allow, Tsync).IsSuccess);
        Assert.Same(main.Chain, sibling.Chain);
        Assert.Equal(3, sibling.Chain!.Count);
    }

    [Fact]
    public void EbpfFiltersNeedTheProposalAndTheExtendedFlag()
    {
        var program = new FilterChainTests.CountingProgram(1);
        AssertErrno(LinuxErrno.EINVAL, SeccompAttach.AttachExtended(Thread(), new SeccompProgramHandle(program), Extended));
        AssertErrno(LinuxErrno.EINVAL, SeccompAttach.AttachExtended(Thread(flavor: KernelFlavor.Proposal), new SeccompProgramHandle(program), 0));
    }

    [Fact]
    public void EbpfAttachChecksHandleThenNamespaceThenPrivilege()
    {
        var closed = new SeccompProgramHandle(new FilterChainTests.CountingProgram(1));
        closed.Close();
        AssertErrno(LinuxErrno.EBADF, SeccompAttach.AttachExtended(Thread(noNewPrivs: false, flavor: KernelFlavor.Proposal), closed, Extended));

        var foreign = new SeccompProgramHandle(new FilterChainTests.CountingProgram(1, new UserNamespaceId(7)));
        AssertErrno(LinuxErrno.EPERM, SeccompAttach.AttachExtended(Thread(noNewPrivs: false, flavor: KernelFlavor.Proposal), foreign, Extended));

        var handle = new SeccompProgramHandle(new FilterChainTests.CountingProgram(1));
        AssertErrno(LinuxErrno.EACCES, SeccompAttach.AttachExtended(Thread(noNewPrivs: false, flavor: KernelFlavor.Proposal), handle, Extended));
        Assert.True(handle.IsOpen);
    }

    [Fact]
    public void AttachingTakesTheProgramHandleAway()
    {
        var thread = Thread(flavor: KernelFlavor.Proposal);
        var handle = new SeccompProgramHandle(new FilterChainTests.CountingProgram(1));
        Assert.True(SeccompAttach.AttachExtended(thread, handle, Extended | Log).IsSuccess);
        Assert.False(handle.IsOpen);
        Assert.True(thread.Chain!.Filter.IsExtended);
        Assert.True(thread.Chain.Log);
        AssertErrno(LinuxErrno.EBADF, SeccompAttach.AttachExtended(thread, handle, Extended));
    }

    [Fact]
    public void EbpfAndClassicFiltersShareOneChain()
    {
        var thread = Thread(flavor: KernelFlavor.Proposal);
        Assert.True(SeccompAttach.AttachClassic(thread, [ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.Errno | 5)], 0).IsSuccess);
        Assert.True(SeccompAttach.AttachExtended(thread, new SeccompProgramHandle(new FilterChainTests.CountingProgram(0)), Extended).IsSuccess);
        var verdict = thread.Evaluate(SeccompData.For(1, AuditArch.X86_64));
        // Both ERRNO: the newer (eBPF) filter's value wins the tie.
        Assert.Equal(SeccompAction.Errno | 1, verdict.Action.Value);
        Assert.Equal(2, verdict.Results.Count);
    }
}
