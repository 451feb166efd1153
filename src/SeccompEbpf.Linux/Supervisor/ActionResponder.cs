using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Model;
using static SeccompEbpf.Bpf.LinuxErrno;
using static SeccompEbpf.Linux.Interop.LinuxConstants;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// Carries out a seccomp action for a notified call from user space. What user space can do:
/// <list type="bullet">
/// <item>ALLOW → SECCOMP_USER_NOTIF_FLAG_CONTINUE (the kernel runs the call).</item>
/// <item>ERRNO(n) → the call returns -n without running (n capped at 4095; ERRNO(0) returns 0).</item>
/// <item>LOG → logged by the supervisor, then continued.</item>
/// <item>TRACE → ENOSYS, what the kernel does when no tracer is attached.</item>
/// <item>TRAP → SIGSYS is sent to the thread (tgkill) while its call is still held, then the call is
///   answered with ENOSYS. A thread with the default SIGSYS action dies at once, as under the kernel's
///   TRAP. Differences: the handler sees si_code SI_TKILL, not SYS_SECCOMP with si_syscall/si_arch
///   (user space may not forge kernel siginfo), and since the signal interrupts the held call, a
///   handler that returns sees the call fail with EINTR — or, with SA_RESTART, the call is made again
///   and decided again.</item>
/// <item>KILL_PROCESS → SIGKILL to the thread group; the call is answered with ENOSYS in case the kill fails.</item>
/// <item>KILL_THREAD → the same as KILL_PROCESS: user space cannot end a single thread (SIGKILL always
///   takes the whole thread group), so we take the stricter outcome.</item>
/// <item>USER_NOTIF or an unknown action from a decider → KILL_PROCESS, as the kernel treats unknown actions.</item>
/// </list>
/// </summary>
internal static unsafe class ActionResponder
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Respond(SeccompListener listener, in SyscallNotification notification, SeccompAction action)
    {
        var response = new SeccompNotifRespRaw { Id = notification.Id };
        var effective = action.ActionBits == SeccompAction.UserNotif ? SeccompAction.KillProcess : action.EffectiveAction;
        switch (effective)
        {
            case SeccompAction.Allow:
            case SeccompAction.Log:
                response.Flags = SeccompNotifyInterop.UserNotifFlagContinue;
                break;
            case SeccompAction.Errno:
                response.Error = -action.ErrnoValue;
                break;
            case SeccompAction.Trace:
                response.Error = -ENOSYS;
                break;
            case SeccompAction.Trap:
                // Signal first, while the call is held (the tid cannot be reused yet): answering
                // first would let a short-lived thread return and exit before the signal lands.
                var tgid = new NotifiedProcess(listener, notification.Id, notification.Pid).TryReadTgid();
                if (tgid is { } group) LibC.TgKill(group, notification.Pid, SIGSYS);
                response.Error = -ENOSYS;
                break;
            default: // KILL_PROCESS, KILL_THREAD
                KillProcessOf(listener, notification);
                response.Error = -ENOSYS;
                break;
        }
        listener.TrySend(&response);
    }

    private static void KillProcessOf(SeccompListener listener, in SyscallNotification notification)
    {
        // Resolve the thread group while the call is still pending: the pid cannot be reused yet.
        var process = new NotifiedProcess(listener, notification.Id, notification.Pid);
        var tgid = process.TryReadTgid() ?? notification.Pid;
        LibC.Kill(tgid, SIGKILL);
    }
}
