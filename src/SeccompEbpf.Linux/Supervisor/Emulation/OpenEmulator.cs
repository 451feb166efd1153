using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// Carries out an allowed open-family call for the caller, on the exact bytes the filter checked,
/// and answers it: the file is opened here in the caller's context and the descriptor injected with
/// SECCOMP_IOCTL_NOTIF_ADDFD + SEND (the descriptor number is the call's return value), or the call
/// is answered with the errno the kernel would have given. Runs on the supervisor's loop thread.
/// </summary>
internal sealed class OpenEmulator
{
    private const int ENOSYS = 38, EMFILE = 24;
    private static readonly Lazy<bool> X32Available = new(ProbeX32);
    private EmulationThread? _thread;
    private string? _threadFailure;
    private readonly FifoOpener _fifos = new();

    /// <summary>What the caller got (its fd, or -errno) and, for a refusal, why.</summary>
    public readonly record struct Outcome(long Result, string? Note);

    public Outcome Emulate(SeccompListener listener, in SyscallNotification n, OpenSyscall syscall, CallerMemory memory)
    {
        // Without the x32 ABI the kernel answers an x32 call with ENOSYS after the filter allowed it.
        if (syscall.Abi == SyscallArch.X32 && !X32Available.Value) return Answer(listener, n.Id, -ENOSYS);

        var (request, how, readError) = OpenRequest.Read(n, syscall, memory);
        if (request is null) return Answer(listener, n.Id, -FlagsErrorFirst(how, readError));

        if (SetUpThread() is not { } thread) return Answer(listener, n.Id, -Bpf.LinuxErrno.EPERM, $"open emulation is unavailable: {_threadFailure}");
        var (caller, contextError) = CallerContext.Read(n.Pid, request, thread);
        if (caller is null) return Answer(listener, n.Id, -contextError);
        using (caller)
        {
            if (!listener.IsIdValid(n.Id)) return new Outcome(-Bpf.LinuxErrno.ESRCH, null); // gone: the context read may be another process's
            int entered = thread.Enter(caller, Creates(request.Flags), out var failure);
            if (entered != 0) return Answer(listener, n.Id, -entered, failure);
            EmulatedOpen.Result result;
            try
            {
                result = EmulatedOpen.Run(request, caller, thread);
                if (result.IsFifo) return _fifos.Start(listener, n.Id, result.Fd, request, caller);
            }
            finally { thread.Leave(); }
            if (result.Fd >= 0 && (request.Flags & O_PATH) != 0)
            {
                // SECCOMP_IOCTL_NOTIF_ADDFD takes its file with fget(), which refuses O_PATH files.
                NativePath.Close(result.Fd);
                return Answer(listener, n.Id, -Bpf.LinuxErrno.EPERM, "an O_PATH descriptor cannot be injected (SECCOMP_IOCTL_NOTIF_ADDFD refuses O_PATH files)");
            }
            if (result.Fd < 0)
            {
                int errno = -result.Fd;
                // The kernel takes the descriptor before the walk: with a full table, any walk error is EMFILE.
                if (errno != Bpf.LinuxErrno.EINVAL && CallerFileTable.IsFull(caller.Tid, caller.Credentials.Tgid)) errno = EMFILE;
                return Answer(listener, n.Id, -errno, result.Refusal);
            }
            return Inject(listener, n.Id, result.Fd, (request.Flags & O_CLOEXEC) != 0);
        }
    }

    /// <summary>Hands our descriptor to the caller as the call's result; our copy is closed either way.</summary>
    internal static Outcome Inject(SeccompListener listener, ulong id, int fd, bool closeOnExec)
    {
        int injected = listener.TryAddFdAndSend(id, fd, closeOnExec);
        NativePath.Close(fd);
        if (injected >= 0) return new Outcome(injected, null);
        if (injected == -Bpf.LinuxErrno.ENOENT) return new Outcome(injected, null); // the call is gone (interrupted or killed)
        // Past RLIMIT_NOFILE the kernel refuses the descriptor and the call is still pending: EMFILE, as an open gets.
        if (injected == -EMFILE) return Answer(listener, id, -EMFILE);
        return Answer(listener, id, -Bpf.LinuxErrno.EPERM, $"the descriptor could not be injected: {LibC.ErrnoMessage(-injected)}");
    }

    internal static Outcome Answer(SeccompListener listener, ulong id, int negatedErrno, string? note = null)
    {
        listener.TrySendError(id, -negatedErrno);
        return new Outcome(negatedErrno, note);
    }

    /// <summary>
    /// The kernel checks the flags before it reads the path: for a path it could not read, the flags
    /// decide first. openat2 with an empty path runs exactly those checks (EINVAL), then says ENOENT.
    /// </summary>
    private static unsafe int FlagsErrorFirst(OpenHow how, int readError)
    {
        int probe = NativePath.OpenAt2(AT_FDCWD, "\0"u8, how);
        if (probe >= 0) { NativePath.Close(probe); return readError; }
        return probe == -Bpf.LinuxErrno.ENOENT ? readError : -probe;
    }

    private EmulationThread? SetUpThread()
    {
        if (_thread is null && _threadFailure is null) _thread = EmulationThread.ForCurrentThread(out _threadFailure);
        return _thread;
    }

    private static bool ProbeX32()
    {
        if (!SyscallTable.For(SyscallArch.X32).TryGetNumber("getpid", out var getpid)) return false;
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && LibC.Syscall(getpid, 0, 0, 0) == Environment.ProcessId;
    }
}
