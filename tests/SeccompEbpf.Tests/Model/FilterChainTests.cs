using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;

namespace SeccompEbpf.Tests.Model;

public class FilterChainTests
{
    private static readonly SeccompData Call = SeccompData.For(1000, AuditArch.X86_64, 7);

    private static ClassicInstruction[] Returning(uint value) => [ClassicInstruction.Stmt(ClassicOpcodes.RetK, value)];

    private static SeccompThread WithFilters(params uint[] resultsOldestFirst)
    {
        var thread = new SeccompSystem().Spawn(SeccompCredentials.Unprivileged);
        thread.SetNoNewPrivs();
        foreach (var value in resultsOldestFirst)
            Assert.True(SeccompAttach.AttachClassic(thread, Returning(value), 0).IsSuccess);
        return thread;
    }

    [Theory]
    [InlineData(new uint[] { SeccompAction.Errno | 1, SeccompAction.Allow }, SeccompAction.Errno | 1)]
    [InlineData(new uint[] { SeccompAction.Trap | 2, SeccompAction.Errno | 1 }, SeccompAction.Trap | 2)]
    [InlineData(new uint[] { SeccompAction.KillThread, SeccompAction.KillProcess }, SeccompAction.KillProcess)]
    [InlineData(new uint[] { SeccompAction.Log, SeccompAction.Trace | 3, SeccompAction.UserNotif }, SeccompAction.UserNotif)]
    // Ties keep the newer filter's full value, data included.
    [InlineData(new uint[] { SeccompAction.Errno | 1, SeccompAction.Errno | 2 }, SeccompAction.Errno | 2)]
    [InlineData(new uint[] { SeccompAction.Errno | 2, SeccompAction.Errno | 1, SeccompAction.Errno | 3 }, SeccompAction.Errno | 3)]
    // Every filter allows: plain ALLOW, the data of ALLOW results is dropped.
    [InlineData(new uint[] { SeccompAction.Allow | 5, SeccompAction.Allow | 9 }, SeccompAction.Allow)]
    // An unknown action sorts by its value and then acts as KILL_PROCESS.
    [InlineData(new uint[] { SeccompAction.Trap, 0x00010000u }, 0x00010000u)]
    public void LowestSignedActionWins(uint[] oldestFirst, uint expected)
    {
        var verdict = WithFilters(oldestFirst).Evaluate(Call);
        Assert.Equal(expected, verdict.Action.Value);
        Assert.Equal(oldestFirst.Reverse(), verdict.Results.Select(r => r.Value));
    }

    [Fact]
    public void UnknownActionBehavesAsKillProcess() =>
        Assert.Equal(SeccompAction.KillProcess, WithFilters(0x00010000u).Evaluate(Call).Action.EffectiveAction);

    [Fact]
    public void DecidingFilterIsTheNewestWithTheWinningAction()
    {
        var thread = WithFilters(SeccompAction.Errno | 1, SeccompAction.Errno | 2, SeccompAction.Allow);
        var verdict = thread.Evaluate(Call);
        Assert.Same(thread.Chain!.Previous, verdict.DecidedBy);
        Assert.Null(WithFilters(SeccompAction.Allow).Evaluate(Call).DecidedBy);
    }

    [Fact]
    public void NoFiltersAllow() =>
        Assert.Equal(SeccompAction.Allow, new SeccompSystem().Spawn(SeccompCredentials.Root).Evaluate(Call).Action.Value);

    [Fact]
    public void UserNotifGoesToTheDecidingFiltersListenerOnly()
    {
        var thread = new SeccompSystem().Spawn(SeccompCredentials.Root);
        var withListener = SeccompAttach.AttachClassic(thread, Returning(SeccompAction.UserNotif), SeccompFilterFlags.NewListener);
        Assert.NotNull(withListener.Listener);
        Assert.Same(withListener.Listener, thread.Evaluate(Call).NotifyListener);
        // A newer filter without a listener that also says USER_NOTIF decides (tie keeps newer): no listener, ENOSYS.
        SeccompAttach.AttachClassic(thread, Returning(SeccompAction.UserNotif | 1), 0);
        Assert.Null(thread.Evaluate(Call).NotifyListener);
    }

    [Fact]
    public void ForkSharesTheChainAndExecKeepsIt()
    {
        var parent = WithFilters(SeccompAction.Errno | 1);
        var child = parent.Fork();
        Assert.NotEqual(parent.Process.Pid, child.Process.Pid);
        Assert.Same(parent.Chain, child.Chain);
        Assert.True(child.NoNewPrivs);
        child.Exec();
        Assert.Same(parent.Chain, child.Chain);

        // A filter the child adds is its own; the parent's chain is untouched and stays a prefix.
        Assert.True(SeccompAttach.AttachClassic(child, Returning(SeccompAction.Errno | 2), 0).IsSuccess);
        Assert.Equal(SeccompAction.Errno | 1, parent.Evaluate(Call).Action.Value);
        Assert.Equal(SeccompAction.Errno | 2, child.Evaluate(Call).Action.Value);
        Assert.Same(parent.Chain, child.Chain!.Previous);
    }

    [Fact]
    public void ExecEndsTheOtherThreads()
    {
        var main = WithFilters(SeccompAction.Allow);
        main.CloneThread();
        Assert.Equal(2, main.Process.Threads.Count);
        main.Exec();
        Assert.Equal([main], main.Process.Threads);
    }

    [Fact]
    public void ForkedChildrenShareEbpfState()
    {
        var system = new SeccompSystem(KernelFlavor.Proposal);
        var parent = system.Spawn(SeccompCredentials.Root);
        var counter = new CountingProgram(limit: 2);
        Assert.True(SeccompAttach.AttachExtended(parent, new SeccompProgramHandle(counter), SeccompFilterFlags.Extended).IsSuccess);
        var child = parent.Fork();
        Assert.Equal(SeccompAction.Allow, parent.Evaluate(Call).Action.Value);
        Assert.Equal(SeccompAction.Allow, child.Evaluate(Call).Action.Value);
        // The third call in either process sees the shared count.
        Assert.Equal(SeccompAction.Errno | 1, parent.Evaluate(Call).Action.Value);
    }

    /// <summary>An eBPF stand-in with state: allows the first <c>limit</c> calls.</summary>
    internal sealed class CountingProgram(int limit, UserNamespaceId? userNamespace = null) : ISeccompProgram
    {
        private int _calls;
        public string Name => "counter";
        public int InstructionCount => 10;
        public UserNamespaceId LoaderUserNamespace { get; } = userNamespace ?? UserNamespaceId.Initial;
        public uint Run(in SeccompData data, SeccompThread task) =>
            ++_calls <= limit ? SeccompAction.Allow : SeccompAction.Errno | 1;
    }

    [Fact]
    public void ClassicFilterRunsWithTheInterpreter()
    {
        var thread = new SeccompSystem().Spawn(SeccompCredentials.Root);
        var program = ClassicAssembler.Assemble("ld [16]\njeq #7, 0, 1\nret #0x50007\nret #0x7fff0000").Value;
        Assert.True(SeccompAttach.AttachClassic(thread, program, 0).IsSuccess);
        Assert.Equal(SeccompAction.Errno | 7, thread.Evaluate(Call).Action.Value);
        Assert.Equal(SeccompAction.Allow, thread.Evaluate(SeccompData.For(1000, AuditArch.X86_64, 8)).Action.Value);
    }
}
