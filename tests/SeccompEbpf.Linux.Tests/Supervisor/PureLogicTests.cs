using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Tests.Supervisor;

/// <summary>The parts of the launcher and supervisor that need no kernel.</summary>
public sealed class PureLogicTests
{
    [Theory]
    [InlineData(0x0000, 0, 0, false)]     // exit 0
    [InlineData(0x0700, 7, 0, false)]     // exit 7
    [InlineData(0x000f, 0, 15, false)]    // SIGTERM
    [InlineData(0x008b, 0, 11, true)]     // SIGSEGV, core dumped
    public void Wait_status_is_decoded(int status, int code, int signal, bool core)
    {
        var exit = ExitStatus.FromWaitStatus(status);
        Assert.Equal(code, exit.Code);
        Assert.Equal(signal, exit.Signal);
        Assert.Equal(core, exit.CoreDumped);
        Assert.Equal(signal == 0 ? code : 128 + signal, exit.ShellCode);
    }

    [Fact]
    public void Ids_are_parsed_from_proc_status()
    {
        var ids = ProcessIds.Parse("Name:\tx\nTgid:\t42\nPid:\t43\nUid:\t1000\t1001\t1002\t1003\nGid:\t2000\t2001\t2002\t2003\n");
        Assert.Equal(new ProcessIds(1000, 1001, 1002, 1003, 2000, 2001, 2002, 2003, 42), ids);
        Assert.Null(ProcessIds.Parse("Uid:\t1\t2\n"));
    }

    [Fact]
    public void Own_ids_match_the_runtime()
    {
        var ids = ProcessIds.Parse(File.ReadAllText("/proc/self/status"));
        Assert.NotNull(ids);
        Assert.Equal(Environment.ProcessId, ids!.Tgid);
    }

    [Fact]
    public void Launch_plan_round_trips_and_rejects_garbage()
    {
        var filter = ClassicInstruction.ToBytes(NotifyListFilter.Build(AuditArch.X86_64, [39]));
        var baseFilter = ClassicInstruction.ToBytes(Launch.SandboxBaseFilter.For(true, new(1234, 1200)));
        var landlock = new Linux.Interop.LandlockRequest(6, 0x7, 0x3, 0x2, [("/usr", 0x5ul)], [(8080, 0x1ul)]);
        var plan = new LaunchPlan(PreservedFds: 2, KeepCapSysPtrace: true, landlock, baseFilter, filter, ExtraFilterFlags: 2, WantsListener: true);
        var encoded = LaunchProtocol.EncodePlan(plan);
        Assert.True(LaunchProtocol.TryDecodePlan(encoded, out var decoded, out _));
        Assert.Equal(2u, decoded.ExtraFilterFlags);
        Assert.True(decoded.WantsListener);
        Assert.Equal(2, decoded.PreservedFds);
        Assert.True(decoded.KeepCapSysPtrace);
        Assert.Equal(landlock.Abi, decoded.Landlock!.Value.Abi);
        Assert.Equal(landlock.Paths, decoded.Landlock.Value.Paths);
        Assert.Equal(landlock.Ports, decoded.Landlock.Value.Ports);
        Assert.Equal((0x7ul, 0x3ul, 0x2ul), (decoded.Landlock.Value.HandledFs, decoded.Landlock.Value.HandledNet, decoded.Landlock.Value.Scoped));
        Assert.Equal(baseFilter, decoded.BaseFilter);
        Assert.Equal(filter, decoded.Filter);

        Assert.False(LaunchProtocol.TryDecodePlan(encoded[..^8], out _, out var error));
        Assert.Contains("damaged", error);
        Assert.False(LaunchProtocol.TryDecodePlan("hello world, no plan, none at all"u8, out _, out error));
        Assert.Contains("launch plan", error);
    }

    [Fact]
    public void Exec_failure_message_carries_its_text()
    {
        var message = LaunchProtocol.EncodeExecFailure(13, "cannot execute /x: Permission denied");
        Assert.Equal(LaunchProtocol.ExecFailed, message[0]);
        Assert.Equal("cannot execute /x: Permission denied", LaunchProtocol.DecodeText(message));
    }

    [Fact]
    public void Notify_list_filter_sends_each_listed_call_to_the_user_notif_return()
    {
        var program = NotifyListFilter.Build(AuditArch.X86_64, [39, 3, 39]);
        var notifyIndex = program.Count - 1;
        Assert.Equal(SeccompAction.UserNotif, program[notifyIndex].K);
        Assert.Equal(SeccompAction.Allow, program[notifyIndex - 1].K);
        var jumps = program.Select((ins, i) => (ins, i)).Where(p => p.ins.Code == (ClassicInstruction.Jmp | ClassicInstruction.Jeq) && p.ins.K is 39 or 3).ToList();
        Assert.Equal(2, jumps.Count); // duplicates merged
        Assert.All(jumps, p => Assert.Equal(notifyIndex, p.i + 1 + p.ins.Jt));
        Assert.True(ClassicReturnScan.MayReturnUserNotif(program));
    }

    [Fact]
    public void Allow_only_filter_needs_no_listener()
    {
        var program = NotifyListFilter.Build(AuditArch.X86_64, []);
        Assert.False(ClassicReturnScan.MayReturnUserNotif(program));
        Assert.DoesNotContain(program, i => i.K == SeccompAction.UserNotif);
    }

    [Fact]
    public void Ret_A_may_return_anything_so_it_needs_a_listener()
    {
        var retA = new ClassicInstruction((ushort)(ClassicInstruction.Ret | ClassicInstruction.A_), 0, 0, 0);
        Assert.True(ClassicReturnScan.MayReturnUserNotif([retA]));
    }

    [Fact]
    public void Counting_decider_allows_N_then_answers_the_errno()
    {
        var decider = new CountingDecider(2, 13);
        var notification = new SyscallNotification(1, 1, 0, SeccompData.For(39, AuditArch.X86_64));
        var actions = Enumerable.Range(0, 4).Select(_ => decider.Decide(notification, default).Action).ToArray();
        Assert.Equal([SeccompAction.AllowAction, SeccompAction.AllowAction, SeccompAction.ErrnoAction(13), SeccompAction.ErrnoAction(13)], actions);
    }

    [Fact]
    public void Command_resolution_follows_PATH()
    {
        Assert.Equal("/bin/sh", CommandResolver.Resolve("/bin/sh"));
        Assert.EndsWith("/sh", CommandResolver.Resolve("sh"));
        Assert.Null(CommandResolver.Resolve("no-such-command-seccomp-ebpf"));
        Assert.Null(CommandResolver.Resolve(""));
    }
}
