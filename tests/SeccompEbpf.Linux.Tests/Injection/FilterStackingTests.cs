using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Injection;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Syscalls;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Linux.Tests.RealPolicies;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Linux.Tests.Injection;

/// <summary>
/// Stacking a filter into a running sandboxed process (ptrace injection of seccomp(TSYNC) through the
/// helper process): it takes effect on every thread, in a forked child when that child is injected too,
/// the transition from the supervisor's verdict to the kernel's is exact under a multi-threaded hammer,
/// and a process that is already traced falls back with a reason.
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed class FilterStackingTests
{
    private const int Threads = 4;
    private const long Allowed = 3000;

    /// <summary>getpid → ERRNO(EPERM) on x86_64, everything else ALLOW; behind the cookie gate like every filter we stack.</summary>
    private static ClassicInstruction[] GetpidRefused(InjectionCookie cookie) => cookie.Gate(
    [
        ClassicInstruction.Stmt(LdAbsW, SeccompData.ArchOffset),
        ClassicInstruction.Jump(JeqK, AuditArch.X86_64, 0, 3),
        ClassicInstruction.Stmt(LdAbsW, SeccompData.NrOffset),
        ClassicInstruction.Jump(JeqK, (uint)NativeSyscalls.Getpid, 0, 1),
        ClassicInstruction.Stmt(RetK, SeccompAction.Errno | 1),
        ClassicInstruction.Stmt(RetK, SeccompAction.Allow),
    ]);

    private static void RequireInjection()
    {
        EnforcementEnvironment.Require();
        Assert.SkipUnless(Interop.Ptrace.Supported, "filter stacking is implemented for x86_64 only");
    }

    [Fact]
    public void A_stacked_filter_takes_over_exactly_when_the_counter_runs_out_on_every_thread_and_in_a_forked_child()
    {
        RequireInjection();
        var probe = RealPolicyBuild.StaticProgram("Injection/Programs/stack_probe.c");
        var cookie = InjectionCookie.NewRandom();
        var decider = new CountingDecider(Allowed, 1);
        var plan = new RunPlan(cookie.Gate(NotifyListFilter.Build(NativeArch.AuditArchValue, [NativeSyscalls.Getpid])), decider, "test");
        var output = Path.GetTempFileName();
        var stopFile = output + ".stop";
        try
        {
            var launch = SandboxHardening.Prepare(plan, new SandboxOptions()).Plan ?? throw new Xunit.Sdk.XunitException("no launch plan");
            var outcome = SandboxLauncher.Launch(EnforcementEnvironment.Launcher, launch, probe, ["hammer", Threads.ToString(), stopFile], output);
            using var command = outcome.Command ?? throw new Xunit.Sdk.XunitException(outcome.Error);
            using var supervisor = new NotifySupervisor(command.Listener!, decider);
            supervisor.Start();
            Assert.Null(command.WaitForExec());

            var child = WaitFor(() => Line(output, "CHILD ") is { } line ? int.Parse(line[6..]) : (int?)null, "the probe to fork");
            WaitFor(() => decider.Seen > Allowed ? true : (bool?)null, "the counter to run out");
            var filtersBefore = ProcessFilters.Count(command.Pid);
            Assert.Null(InjectorProcess.Stack(EnforcementEnvironment.Launcher, command.Pid, GetpidRefused(cookie), cookie));
            Assert.Null(InjectorProcess.Stack(EnforcementEnvironment.Launcher, child, GetpidRefused(cookie), cookie));
            Assert.Equal(filtersBefore + 1, ProcessFilters.Count(command.Pid));
            Assert.Equal(filtersBefore + 1, ProcessFilters.Count(child));

            var handledAtSwitch = supervisor.Handled;
            Thread.Sleep(300); // the hammer goes on: now decided by the kernel alone
            var handledAfter = supervisor.Handled;
            File.WriteAllText(stopFile, "");
            Assert.Equal(0, command.Wait().ShellCode);
            supervisor.Stop();

            // Calls in flight at the switch may still arrive (at most one per thread); then none.
            Assert.True(handledAfter - handledAtSwitch <= 2 * Threads, $"{handledAfter - handledAtSwitch} notifications after both processes had the stacked filter");
            var tallies = File.ReadAllLines(output).Where(l => l.StartsWith("PROC ", StringComparison.Ordinal)).Select(Tally.Parse).ToList();
            Assert.Equal(2, tallies.Count);
            Assert.Equal(Allowed, tallies.Sum(t => t.Ok)); // exact: the supervisor allowed these, nobody else did
            Assert.All(tallies, t => Assert.Equal(0, t.OkAfterEperm));
            Assert.All(tallies, t => Assert.Equal(0, t.Other));
            // Every refusal the supervisor answered is counted in Handled; the rest came from the kernel alone.
            var refusedBySupervisor = supervisor.Handled - Allowed;
            Assert.True(tallies.Sum(t => t.Eperm) > refusedBySupervisor, $"the kernel refused no call itself: {string.Join("; ", tallies)}, supervisor refused {refusedBySupervisor}");
        }
        finally
        {
            File.Delete(output);
            File.Delete(stopFile);
        }
    }

    [Fact]
    public void A_process_that_is_already_traced_is_left_alone_with_a_reason()
    {
        RequireInjection();
        var cookie = InjectionCookie.NewRandom();
        var strace = CommandResolver.Resolve("strace");
        Assert.SkipWhen(strace is null, "strace is not installed (needed to trace the target first)");
        // sleep under strace: strace is the tracer; the injection into sleep must refuse, not fight it.
        var plan = new RunPlan(cookie.Gate(NotifyListFilter.Build(NativeArch.AuditArchValue, [NativeSyscalls.Getpid])), new CountingDecider(-1, 1), "test");
        var launch = SandboxHardening.Prepare(plan, new SandboxOptions()).Plan ?? throw new Xunit.Sdk.XunitException("no launch plan");
        var outcome = SandboxLauncher.Launch(EnforcementEnvironment.Launcher, launch, strace!, ["-o", "/dev/null", "sleep", "5"], "/dev/null");
        using var command = outcome.Command ?? throw new Xunit.Sdk.XunitException(outcome.Error);
        using var supervisor = new NotifySupervisor(command.Listener!, plan.Decider);
        supervisor.Start();
        Assert.Null(command.WaitForExec());
        var sleeper = WaitFor(() => ChildOf(command.Pid, "sleep"), "strace to start sleep");
        var error = InjectorProcess.Stack(EnforcementEnvironment.Launcher, sleeper, GetpidRefused(cookie), cookie);
        Assert.NotNull(error);
        Assert.Contains("already traced", error);
        command.Signal(Interop.LinuxConstants.SIGKILL);
        command.Wait();
        supervisor.Stop();
    }

    /// <summary>A child of <paramref name="pid"/> running <paramref name="command"/> (strace also forks short-lived probes of its own).</summary>
    private static int? ChildOf(int pid, string command)
    {
        try
        {
            foreach (var entry in File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(entry, out var child) && File.ReadAllText($"/proc/{child}/comm").Trim() == command) return child;
        }
        catch (IOException) { }
        return null;
    }

    private static string? Line(string path, string prefix) =>
        File.Exists(path) ? File.ReadAllLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;

    private static T WaitFor<T>(Func<T?> probe, string what) where T : struct
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value) return value;
            Thread.Sleep(5);
        }
        throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
    }

    private sealed record Tally(int Pid, long Ok, long Eperm, long Other, long OkAfterEperm)
    {
        public static Tally Parse(string line)
        {
            var f = line.Split(' ');
            return new Tally(int.Parse(f[1]), long.Parse(f[3]), long.Parse(f[5]), long.Parse(f[7]), long.Parse(f[9]));
        }
    }
}
