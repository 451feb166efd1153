using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>Optional seccomp filter flags this kernel accepts, probed once.</summary>
public static class SeccompFeatures
{
    private const uint FilterFlagWaitKillableRecv = 1u << 5; // Linux 5.19

    /// <summary>SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV where the kernel has it, else 0.</summary>
    public static uint WaitKillableRecvFlag => WaitKillableRecv.Value ? FilterFlagWaitKillableRecv : 0;

    private static readonly Lazy<bool> WaitKillableRecv = new(() => Accepts(SeccompNotifyInterop.FilterFlagNewListener | FilterFlagWaitKillableRecv));

    /// <summary>
    /// seccomp(SET_MODE_FILTER, flags, NULL) checks the flags before it reads the program: EFAULT means
    /// the flags are known, EINVAL that they are not. Nothing is installed either way.
    /// </summary>
    private static unsafe bool Accepts(uint flags) =>
        SeccompNotifyInterop.SetModeFilter(flags, null) == -1 && LibC.LastErrno == LinuxConstants.EFAULT;
}
