namespace SeccompEbpf.Linux.Interop;

/// <summary>Linux ABI numbers used by the launcher and supervisor (identical on x86_64 and aarch64).</summary>
internal static class LinuxConstants
{
    // errno values: SeccompEbpf.Bpf.LinuxErrno

    // signals
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
        SIGPIPE = 13, SIGTERM = 15, SIGURG = 23, SIGSYS = 31;

    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_GET_NO_NEW_PRIVS = 39;

    public const int F_GETFD = 1, F_SETFD = 2, F_DUPFD_CLOEXEC = 1030;
    public const int FD_CLOEXEC = 1;

    public const int AF_UNIX = 1;
    public const int SOCK_SEQPACKET = 5;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;
    public const int MSG_CMSG_CLOEXEC = 0x40000000;
    public const int MSG_NOSIGNAL = 0x4000;

    public const short POLLIN = 0x1, POLLERR = 0x8, POLLHUP = 0x10;

    public const int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;
    public const int EFD_CLOEXEC = 0x80000;

    public const int X_OK = 1;
    public const int O_WRONLY = 0x1, O_CREAT = 0x40, O_TRUNC = 0x200;

    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const int SIG_SETMASK = 2;
    /// <summary>glibc's sigset_t is 1024 bits.</summary>
    public const int SigSetBytes = 128;
}
