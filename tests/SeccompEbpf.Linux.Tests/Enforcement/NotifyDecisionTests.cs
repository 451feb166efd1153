using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>The supervisor's answers reach real processes: counters shared by threads and children, errno, kill, trap, log.</summary>
[Collection(EnforcementCollection.Name)]
public sealed class NotifyDecisionTests
{
    [Fact]
    public void Getpid_works_N_times_then_fails_with_EPERM()
    {
        var probe = EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(new CountingDecider(4, 1), [NativeSyscalls.Getpid], probe, "getpid", "10");
        Assert.Equal(0, run.Result.ExitCode);
        Assert.Equal("ok 4 fail 6 errno 1\n", run.Output);
        Assert.Equal(10, run.Result.NotificationsHandled);
    }

    [Fact]
    public void Counter_is_shared_by_all_threads()
    {
        var probe = EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(new CountingDecider(37, 1), [NativeSyscalls.Getpid], probe, "threads", "4", "25");
        Assert.Equal("ok 37 fail 63 errno 1\n", run.Output);
    }

    [Fact]
    public void Counter_is_shared_by_forked_children()
    {
        var probe = EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(new CountingDecider(25, 1), [NativeSyscalls.Getpid], probe, "fork", "3", "20");
        Assert.Equal("ok 25 fail 35 errno 1\n", run.Output);
    }

    [Fact]
    public void Close_999_gets_EPERM_while_other_closes_work()
    {
        var probe = EnforcementEnvironment.Require();
        var decider = new FunctionDecider((n, _) => n.Data.Args[0] == 999 ? SeccompAction.ErrnoAction(1) : SeccompAction.AllowAction);
        var run = SandboxTestRun.Start(decider, [NativeSyscalls.Close], probe, "close", "999");
        Assert.Equal("close -1 errno 1\n", run.Output);
    }

    [Fact]
    public void Errno_data_is_the_returned_error()
    {
        var probe = EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(new CountingDecider(0, 13), [NativeSyscalls.Getpid], probe, "getpid", "2");
        Assert.Equal("ok 0 fail 2 errno 13\n", run.Output);
    }

    [Fact]
    public void Kill_process_kills_the_caller_with_SIGKILL()
    {
        var probe = EnforcementEnvironment.Require();
        var decider = new FunctionDecider((_, _) => SeccompAction.KillProcessAction);
        var run = SandboxTestRun.Start(decider, [NativeSyscalls.Getpid], probe, "threads", "3", "5");
        Assert.Equal(9, run.Result.Status!.Value.Signal);
        Assert.Equal(137, run.Result.ExitCode);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Trap_delivers_SIGSYS()
    {
        var probe = EnforcementEnvironment.Require();
        var decider = new FunctionDecider((_, _) => new SeccompAction(SeccompAction.Trap));
        var run = SandboxTestRun.Start(decider, [NativeSyscalls.Getpid], probe, "getpid", "1");
        Assert.Equal(31, run.Result.Status!.Value.Signal);
    }

    [Fact]
    public void Trace_without_a_tracer_is_ENOSYS()
    {
        var probe = EnforcementEnvironment.Require();
        var decider = new FunctionDecider((_, _) => new SeccompAction(SeccompAction.Trace));
        var run = SandboxTestRun.Start(decider, [NativeSyscalls.Getpid], probe, "getpid", "3");
        Assert.Equal("ok 0 fail 3 errno 38\n", run.Output);
    }

    [Fact]
    public void Log_file_has_one_json_line_per_decision_that_was_not_a_plain_allow()
    {
        var probe = EnforcementEnvironment.Require();
        var log = Path.GetTempFileName();
        try
        {
            var calls = 0;
            var decider = new FunctionDecider((_, _) => ++calls switch
            {
                1 => SeccompAction.AllowAction,
                2 => new SeccompAction(SeccompAction.Log),
                _ => SeccompAction.ErrnoAction(1),
            });
            var plan = new RunPlan(NotifyListFilter.Build(NativeArch.AuditArchValue, [NativeSyscalls.Getpid]), decider, "test")
            {
                SyscallName = (_, nr) => nr == NativeSyscalls.Getpid ? "getpid" : null,
            };
            var run = SandboxTestRun.StartWith(plan, log, probe, "getpid", "4");
            Assert.Equal("ok 2 fail 2 errno 1\n", run.Output);
            var lines = File.ReadAllLines(log);
            Assert.Equal(3, lines.Length);
            using var first = System.Text.Json.JsonDocument.Parse(lines[0]);
            var root = first.RootElement;
            Assert.Equal("LOG", root.GetProperty("action").GetString());
            Assert.Equal("getpid", root.GetProperty("syscall").GetString());
            Assert.Equal(NativeSyscalls.Getpid, root.GetProperty("nr").GetInt32());
            Assert.Equal("test", root.GetProperty("filter").GetString());
            Assert.Equal(6, root.GetProperty("args").GetArrayLength());
            Assert.True(root.GetProperty("pid").GetInt32() > 0);
            Assert.True(DateTime.TryParse(root.GetProperty("time").GetString(), out _));
            Assert.Contains("\"action\":\"ERRNO(1)\"", lines[2]);
        }
        finally { File.Delete(log); }
    }

    [Fact]
    public void Launch_does_not_deadlock_when_the_hand_off_itself_is_notified()
    {
        var probe = EnforcementEnvironment.Require();
        // sendmsg is notified: the launcher's hand-off blocks until the supervisor reads the
        // listener, which it then takes from /proc with pidfd_getfd instead.
        var run = SandboxTestRun.Start(new CountingDecider(-1, 1), [NativeSyscalls.Sendmsg, NativeSyscalls.Getpid], probe, "getpid", "3");
        Assert.Null(run.Result.Error);
        Assert.Equal("ok 3 fail 0 errno 0\n", run.Output);
    }
}

/// <summary>The supervisor loop's life cycle on a real listener.</summary>
[Collection(EnforcementCollection.Name)]
public sealed class SupervisorLifecycleTests
{
    [Fact]
    public void Stop_ends_a_loop_blocked_in_receive_after_the_sandbox_is_gone()
    {
        var probe = EnforcementEnvironment.Require();
        var plan = new RunPlan(NotifyListFilter.Build(NativeArch.AuditArchValue, [NativeSyscalls.Getpid]), new CountingDecider(-1, 1), "test");
        var launch = SandboxHardening.Prepare(plan, new SandboxOptions()).Plan ?? throw new Xunit.Sdk.XunitException("no launch plan");
        var outcome = SandboxLauncher.Launch(EnforcementEnvironment.Launcher, launch, probe, ["getpid", "3"], "/dev/null");
        using var command = outcome.Command ?? throw new Xunit.Sdk.XunitException(outcome.Error);
        var supervisor = new Linux.Supervisor.NotifySupervisor(command.Listener!, plan.Decider);
        supervisor.Start();
        Assert.Null(command.WaitForExec());
        Assert.Equal(0, command.Wait().ShellCode);
        Assert.True(supervisor.IsRunning); // blocked in SECCOMP_IOCTL_NOTIF_RECV
        Assert.Equal(3, supervisor.Handled);
        supervisor.Dispose();
        Assert.False(supervisor.IsRunning);
    }
}
