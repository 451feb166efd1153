using System.Diagnostics;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Split;

namespace SeccompEbpf.Linux.Tests.RealPolicies;

/// <summary>
/// Per-process storage lives as long as its process: the supervisor follows each process that holds
/// an entry with a pidfd and drops the entry when the process ends (else a long-running sandbox that
/// starts many short processes fills the map, and a recycled pid would inherit an old entry).
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed class ProcessStorageLifetimeTests
{
    [Fact]
    public void The_exit_watcher_reports_a_process_once_it_has_ended_and_not_before()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "pidfds are a Linux feature");
        using var watcher = new ProcessExitWatcher();
        Assert.SkipUnless(watcher.Works, "no epoll/eventfd here");
        var clock = Stopwatch.StartNew(); // before the start: the sleep cannot end within 1 s of this
        using var sleeper = Process.Start("/bin/sleep", "1");
        Assert.True(watcher.Watch(sleeper.Id), "pidfd_open failed on a live child");
        Assert.True(watcher.IsWatched(sleeper.Id));
        Assert.False(watcher.TryTakeExited(out _), "reported before the process ended");

        int exited = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && !watcher.TryTakeExited(out exited)) Thread.Sleep(10);
        Assert.Equal(sleeper.Id, exited);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(1000), $"reported after {clock.ElapsedMilliseconds} ms, before the sleep ended");
        Assert.False(watcher.IsWatched(sleeper.Id));
        Assert.Equal(0, watcher.Count);
    }

    [Fact]
    public void Task_storage_of_ended_processes_is_released_while_the_sandbox_runs()
    {
        EnforcementEnvironment.Require();
        var filter = RealPolicyBuild.Example("04_exec_once"); // every execve creates the caller's entry
        var built = PolicyRunPlan.Build(RealPolicyBuild.RunOptions(filter));
        Assert.True(built.IsOk, built.Error?.ToString());
        var (plan, split) = built.Value;
        var storage = Assert.Single(split.Stack.Filters.OfType<EbpfStackFilter>().SelectMany(f => f.Program.Maps).OfType<ProcessStorageMap>());
        try
        {
            // 40 short processes, one after the other, each with its own first exec.
            var run = SandboxTestRun.StartWith(plan, null, "/bin/sh", "-c", "i=0; while [ $i -lt 40 ]; do /bin/true || exit 9; i=$((i+1)); done; echo done");
            Assert.True(run.Result.ExitCode == 0, $"exit {run.Result.ExitCode}: {run.Result.Error} {run.Output}");
            Assert.Equal("done\n", run.Output);
            Assert.True(run.Result.NotificationsHandled >= 41, $"only {run.Result.NotificationsHandled} notifications");
            // Left: the shell, and at most the few children whose end was not yet seen at the next exec.
            Assert.True(storage.Count <= 5, $"{storage.Count} task-storage entries left after 40 processes ended");
        }
        finally
        {
            (plan.Decider as IDisposable)?.Dispose();
        }
    }
}
