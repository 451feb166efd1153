using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Bpf.LinuxErrno;
using static SeccompEbpf.Linux.Interop.LinuxConstants;

namespace SeccompEbpf.Linux.Launch;

/// <summary>The user's choices that loosen the sandbox's own protections (see ENFORCEMENT.md, threat model).</summary>
public sealed record SandboxOptions
{
    /// <summary>--preserve-fds N: fds 3 .. 3+N-1 reach the command as well as 0-2 (as crun and runc count them).</summary>
    public int PreserveFds { get; init; }

    /// <summary>--keep-cap-sys-ptrace: a root command keeps CAP_SYS_PTRACE (needs Landlock to protect the supervisor).</summary>
    public bool KeepCapSysPtrace { get; init; }

    /// <summary>Behave as on a kernel without Landlock (tests of the fallback protections).</summary>
    internal bool IgnoreLandlock { get; init; }
}

/// <summary>
/// What `run` adds to every plan so that the program inside cannot reach the supervisor, the user's
/// other processes, the terminal or the next sandbox — whatever the policy allows. The supervisor side
/// (<see cref="Prepare"/>) makes itself non-dumpable and builds the launch plan; the launcher child
/// applies it (<see cref="LauncherChild"/>).
/// </summary>
internal static class SandboxHardening
{
    private const int PR_SET_DUMPABLE = 4;
    private const int CloseRangeNumber = 436; // the unified table: the same on every architecture
    private const uint CloseRangeCloexec = 1u << 2;

    /// <summary>
    /// Makes the calling process (the supervisor) non-dumpable, then builds the launch plan. A process
    /// that is not dumpable can be ptraced, read or written through /proc/PID/mem, process_vm_* or
    /// pidfd_getfd only with CAP_SYS_PTRACE, which the command does not get: this protects the
    /// supervisor even where Landlock is missing, and for good (the flag stays until execve).
    /// </summary>
    public static (LaunchPlan? Plan, string? Error, IReadOnlyList<string> Warnings) Prepare(RunPlan plan, SandboxOptions options)
    {
        var warnings = new List<string>();
        if (plan.KernelFilter.Count is 0 or > ClassicInstruction.MaxInstructions)
            return (null, $"the kernel filter has {plan.KernelFilter.Count} instructions; the kernel accepts 1..{ClassicInstruction.MaxInstructions}", warnings);
        if (options.PreserveFds is < 0 or > 1000)
            return (null, $"--preserve-fds takes a count from 0 to 1000, not {options.PreserveFds}", warnings);
        if (LibC.Prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
            return (null, $"prctl(PR_SET_DUMPABLE, 0): {LibC.ErrnoMessage(LibC.LastErrno)}", warnings);
        var abi = options.IgnoreLandlock ? 0 : Landlock.Abi();
        if (abi == 0)
        {
            if (options.KeepCapSysPtrace)
                return (null, "--keep-cap-sys-ptrace needs Landlock, which this kernel lacks: without it a root command with CAP_SYS_PTRACE could take over this supervisor", warnings);
            warnings.Add("this kernel has no Landlock: the command cannot reach this supervisor, but your other processes "
                + "(your shell, anything running as you) are not protected from ptrace, /proc/PID/mem and signals sent from inside (see ENFORCEMENT.md)");
        }
        if (plan.Access.RestrictsFiles && plan.ReadsCallerMemory)
            return (null, "file access rules (--fs-*) cannot be combined with a filter that reads the caller's memory: "
                + "the opens such a filter allows are carried out by this process, which Landlock's rules do not bind. "
                + "Use one or the other (the rules alone are race-free too)", warnings);
        var landlock = LandlockPlan.For(abi, plan.Access, warnings, out var landlockError);
        if (landlockError is not null) return (null, landlockError, warnings);
        var signals = abi >= Landlock.SignalScopingAbi ? (SandboxBaseFilter.SignalGuard?)null
            : new SandboxBaseFilter.SignalGuard(LibC.GetPid(), LibC.GetPgrp());
        var needsListener = plan.NeedsListener;
        var baseFilter = SandboxBaseFilter.For(refuseNewListener: !needsListener, signals);
        // With a listener, WAIT_KILLABLE_RECV (5.19; the launcher drops it where the kernel lacks it): once
        // received, a notification is answered exactly once. A signal or a ptrace interrupt can then not
        // make the kernel drop the answer and ask again: a counter would count the call twice, and an
        // open the supervisor carried out (it may have created a file) would be repeated.
        var flags = plan.ExtraFilterFlags | (needsListener ? SeccompFilterFlags.WaitKillableRecv : 0);
        var launch = new LaunchPlan(options.PreserveFds, options.KeepCapSysPtrace, landlock,
            ClassicInstruction.ToBytes(baseFilter), ClassicInstruction.ToBytes(plan.KernelFilter), flags, needsListener);
        return (launch, null, warnings);
    }

    /// <summary>
    /// Puts the calling thread (the supervisor's loop thread, before it starts the launcher) into a
    /// Landlock domain of its own that restricts nothing but ptrace access: the command's domain is then
    /// nested in it. The loop thread can still reach the command (read its memory, its /proc files), but
    /// nothing outside, exactly like the command: an open the supervisor carries out for the command
    /// (emulation) cannot reach /proc/PID/mem of a process outside the sandbox, which the command itself
    /// cannot. Per thread and irreversible, so a dedicated thread does it. Null or what failed.
    /// </summary>
    public static string? EnterSupervisorDomain(in LaunchPlan launch)
    {
        if (launch.Landlock is not { } sandbox) return null; // no Landlock: nothing to mirror
        var domain = LandlockPlan.For(sandbox.Abi, Policy.Access.AccessRules.None, [], out var error);
        if (error is not null || domain is not { } request) return error;
        if (LibC.Prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return $"prctl(PR_SET_NO_NEW_PRIVS) on the supervisor thread: {LibC.ErrnoMessage(LibC.LastErrno)}";
        return Landlock.RestrictSelf(request);
    }

    /// <summary>
    /// Child side: every fd from 3 + <paramref name="preserved"/> up is closed at execve; fds 3 .. 3 +
    /// preserved - 1 are kept open across it. The control socket, which lies above them, is already
    /// close-on-exec and stays usable until then. Returns null or what failed.
    /// </summary>
    public static unsafe string? PassOnlyStandardAndPreservedFds(int preserved)
    {
        var first = 3 + preserved;
        if (LibC.Syscall(CloseRangeNumber, first, uint.MaxValue, CloseRangeCloexec) != 0)
        {
            if (LibC.LastErrno != ENOSYS && LibC.LastErrno != EINVAL)
                return $"close_range({first}, ~0, CLOSE_RANGE_CLOEXEC): {LibC.ErrnoMessage(LibC.LastErrno)}";
            // Before Linux 5.11: mark them one by one, up to the fd limit the runtime raised.
            for (int fd = first; fd < 65536; fd++) LibC.Fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        for (int fd = 3; fd < first; fd++)
            if (LibC.Fcntl(fd, F_GETFD, 0) >= 0) LibC.Fcntl(fd, F_SETFD, 0);
        return null;
    }
}
