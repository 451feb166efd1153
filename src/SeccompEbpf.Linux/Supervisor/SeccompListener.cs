using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.SeccompNotifyInterop;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// The supervisor's end of a seccomp user-notification listener fd: receive, answer, check ids.
/// Owns the fd; closing it makes every pending and future notified call fail with ENOSYS (fail closed).
/// </summary>
public sealed unsafe class SeccompListener : IDisposable
{
    private int _fd;
    private readonly int _notifBytes;

    public int Fd => _fd;

    /// <summary>True when SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP was accepted (Linux 6.6+).</summary>
    public bool SyncWakeUp { get; }

    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    public SeccompListener(int fd, bool useSyncWakeUp = true)
    {
        _fd = fd;
        var sizes = default(SeccompNotifSizes);
        // The kernel requires the receive buffer zeroed and at least as large as its struct seccomp_notif.
        _notifBytes = GetNotifSizes(&sizes) == 0 ? Math.Max((int)sizes.Notif, sizeof(SeccompNotifRaw)) : sizeof(SeccompNotifRaw);
        if (sizes.NotifResp > sizeof(SeccompNotifRespRaw))
            throw new PlatformNotSupportedException($"this kernel's seccomp_notif_resp is {sizes.NotifResp} bytes; this build knows {sizeof(SeccompNotifRespRaw)}");
        if (useSyncWakeUp)
        {
            ulong flags = NotifFdSyncWakeUp;
            SyncWakeUp = LibC.Ioctl(fd, IoctlNotifSetFlags, (void*)flags) == 0;
        }
    }

    /// <summary>The size of the receive buffer <see cref="TryReceive"/> needs.</summary>
    internal int NotifBytes => _notifBytes;

    /// <summary>Blocks for the next notification. Returns 0, or an errno (ENOENT: the caller went away; EINTR: retry).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal int TryReceive(byte* buffer)
    {
        new Span<byte>(buffer, _notifBytes).Clear();
        return LibC.Ioctl(_fd, IoctlNotifRecv, buffer) == 0 ? 0 : LibC.LastErrno;
    }

    /// <summary>
    /// Answers a notification. False when the kernel refused the answer; the only expected reason is
    /// ENOENT (the call is gone, e.g. interrupted by a signal), and nothing is left to do then, so
    /// the errno is not fetched.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal bool TrySend(SeccompNotifRespRaw* response) => LibC.IoctlNoErrno(_fd, IoctlNotifSend, response) == 0;

    /// <summary>
    /// Installs <paramref name="fd"/> (ours) in the caller as its lowest free descriptor and answers the
    /// call with that number, atomically (SECCOMP_ADDFD_FLAG_SEND, Linux 5.14): nothing the caller can
    /// observe lies between. Returns the caller's fd, or -errno: EMFILE when its table is full (up to
    /// its RLIMIT_NOFILE; the call is then still pending and must be answered), ENOENT when the call is gone.
    /// </summary>
    internal int TryAddFdAndSend(ulong id, int fd, bool closeOnExec)
    {
        const uint AddFdFlagSend = 1u << 1, OCloexec = 0x80000;
        var addFd = new SeccompNotifAddFdRaw { Id = id, Flags = AddFdFlagSend, SourceFd = (uint)fd, NewFdFlags = closeOnExec ? OCloexec : 0 };
        int result = LibC.Ioctl(_fd, IoctlNotifAddFd, &addFd);
        return result >= 0 ? result : -LibC.LastErrno;
    }

    /// <summary>Answers the call with -<paramref name="errno"/> (the call does not run).</summary>
    internal bool TrySendError(ulong id, int errno)
    {
        var response = new SeccompNotifRespRaw { Id = id, Error = -errno };
        return TrySend(&response);
    }

    /// <summary>True while notification <paramref name="id"/> is still pending (its caller alive and waiting).</summary>
    public bool IsIdValid(ulong id) => LibC.IoctlNoErrno(_fd, IoctlNotifIdValid, &id) == 0;

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) LibC.Close(fd);
    }
}
