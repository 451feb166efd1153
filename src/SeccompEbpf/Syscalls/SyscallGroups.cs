namespace SeccompEbpf.Syscalls;

/// <summary>A named set of system calls, for `seccomp-ebpf syscalls @NAME` and policies that think in groups.</summary>
public sealed record SyscallGroup(string Name, string Description, IReadOnlyList<string> Members)
{
    /// <summary>The members <paramref name="arch"/> has, with their numbers, by number (a name it lacks is simply absent there).</summary>
    public IReadOnlyList<(string Name, int Number)> On(SyscallArch arch)
    {
        var table = SyscallTable.For(arch);
        var present = new List<(string Name, int Number)>();
        foreach (var member in Members)
            if (table.TryGetNumber(member, out var nr)) present.Add((member, nr));
        return present.OrderBy(e => e.Number).ToList();
    }
}

/// <summary>
/// The system-call groups, defined here once and documented in Syscalls/GROUPS.md. Members are names
/// as the ABI tables spell them; each ABI has the members it has (i386's socketcall, x86_64's
/// arch_prctl). A call may be in several groups; the groups do not cover every call.
/// </summary>
public static class SyscallGroups
{
    public static readonly IReadOnlyList<SyscallGroup> All =
    [
        new("@file-system", "files and directories: open, stat, read a directory, link, rename, chmod, xattrs, cwd",
        [
            "open", "openat", "openat2", "creat", "close", "close_range", "access", "faccessat", "faccessat2",
            "stat", "lstat", "fstat", "newfstatat", "fstatat64", "stat64", "lstat64", "fstat64", "statx", "statfs", "fstatfs", "statfs64", "fstatfs64",
            "getdents", "getdents64", "readlink", "readlinkat", "link", "linkat", "symlink", "symlinkat", "unlink", "unlinkat",
            "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir", "mknod", "mknodat",
            "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "chown32", "fchown32", "lchown32",
            "truncate", "ftruncate", "truncate64", "ftruncate64", "fallocate", "utime", "utimes", "futimesat", "utimensat", "utimensat_time64",
            "getcwd", "chdir", "fchdir", "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch",
            "getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr", "listxattr", "llistxattr", "flistxattr",
            "removexattr", "lremovexattr", "fremovexattr", "name_to_handle_at", "open_by_handle_at", "umask",
        ]),
        new("@io", "reading and writing open files, pipes and sockets, and waiting on them",
        [
            "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
            "lseek", "_llseek", "sendfile", "sendfile64", "splice", "tee", "vmsplice", "copy_file_range",
            "pipe", "pipe2", "dup", "dup2", "dup3", "fcntl", "fcntl64", "ioctl", "flock", "fsync", "fdatasync", "sync", "syncfs", "sync_file_range",
            "poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6", "pselect6_time64",
            "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2",
        ]),
        new("@network-io", "sockets: create, connect, accept, send and receive, options",
        [
            "socket", "socketpair", "socketcall", "bind", "listen", "connect", "accept", "accept4", "getsockname", "getpeername",
            "send", "sendto", "sendmsg", "sendmmsg", "recv", "recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64",
            "setsockopt", "getsockopt", "shutdown",
        ]),
        new("@process", "creating, running, waiting for and ending processes and threads",
        [
            "fork", "vfork", "clone", "clone3", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "waitpid",
            "kill", "tkill", "tgkill", "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "prctl", "arch_prctl",
            "set_tid_address", "set_robust_list", "get_robust_list", "unshare", "setns", "getpid", "getppid", "gettid",
            "capget", "capset", "rseq",
        ]),
        new("@credentials", "user and group ids: read and change",
        [
            "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups",
            "getuid32", "geteuid32", "getgid32", "getegid32", "getresuid32", "getresgid32", "getgroups32",
            "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "setfsuid", "setfsgid",
            "setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32", "setresgid32", "setgroups32", "setfsuid32", "setfsgid32",
        ]),
        new("@signal", "signal handlers, masks and delivery to oneself",
        [
            "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
            "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaction", "sigprocmask", "sigreturn", "sigpending", "sigsuspend", "sigaltstack",
            "signal", "signalfd", "signalfd4", "pause", "alarm",
        ]),
        new("@memory", "mapping and protecting memory",
        [
            "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "pkey_mprotect", "pkey_alloc", "pkey_free",
            "madvise", "process_madvise", "mlock", "mlock2", "munlock", "mlockall", "munlockall", "mincore", "msync",
            "memfd_create", "memfd_secret", "mseal", "membarrier",
        ]),
        new("@ipc", "System V and POSIX message queues, semaphores and shared memory",
        [
            "ipc", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semtimedop_time64", "semctl",
            "shmget", "shmat", "shmdt", "shmctl", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64",
            "mq_timedreceive", "mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
        ]),
        new("@time", "reading clocks and sleeping",
        [
            "time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64",
            "clock_nanosleep", "clock_nanosleep_time64", "nanosleep", "timer_create", "timer_settime", "timer_settime64",
            "timer_gettime", "timer_gettime64", "timer_getoverrun", "timer_delete", "timerfd_create", "timerfd_settime",
            "timerfd_settime64", "timerfd_gettime", "timerfd_gettime64", "getitimer", "setitimer", "times",
        ]),
        new("@clock", "setting the system clock", ["settimeofday", "stime", "clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64", "adjtimex"]),
        new("@mount", "mounting and the mount API", ["mount", "umount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "statmount", "listmount"]),
        new("@module", "loading and unloading kernel modules", ["init_module", "finit_module", "delete_module", "create_module", "query_module", "get_kernel_syms"]),
        new("@reboot", "rebooting and loading a new kernel", ["reboot", "kexec_load", "kexec_file_load"]),
        new("@swap", "swap space", ["swapon", "swapoff"]),
        new("@raw-io", "direct port and device I/O", ["ioperm", "iopl", "pciconfig_read", "pciconfig_write", "pciconfig_iobase", "s390_pci_mmio_read", "s390_pci_mmio_write"]),
        new("@debug", "tracing and reading other processes", ["ptrace", "process_vm_readv", "process_vm_writev", "perf_event_open", "kcmp", "lookup_dcookie"]),
        new("@bpf", "eBPF programs and maps, and user-space fault handling", ["bpf", "userfaultfd"]),
        new("@keyring", "the kernel's key store", ["add_key", "request_key", "keyctl"]),
        new("@resources", "limits, priorities and scheduling",
        [
            "getrlimit", "setrlimit", "prlimit64", "ugetrlimit", "getrusage", "getpriority", "setpriority", "nice",
            "sched_setscheduler", "sched_getscheduler", "sched_setparam", "sched_getparam", "sched_setaffinity", "sched_getaffinity",
            "sched_setattr", "sched_getattr", "sched_yield", "sched_get_priority_max", "sched_get_priority_min",
            "sched_rr_get_interval", "sched_rr_get_interval_time64", "ioprio_get", "ioprio_set",
        ]),
        new("@system", "system-wide settings: host name, accounting, quotas, kernel log, personality",
        ["sethostname", "setdomainname", "acct", "quotactl", "quotactl_fd", "syslog", "personality", "uselib", "_sysctl", "sysfs", "ustat", "vhangup", "nfsservctl"]),
    ];

    public static SyscallGroup? Find(string name) => All.FirstOrDefault(g => g.Name == name || g.Name == "@" + name);
}
