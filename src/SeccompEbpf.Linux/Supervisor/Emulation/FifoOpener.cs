using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// A blocking open of a FIFO waits for the other end. The supervisor's loop must not wait (the other
/// end may be another sandboxed call it has to answer), so such an open is finished on a helper
/// thread: it takes on the caller's credentials, opens the very FIFO the walk found again through our
/// own fd table (blocking, with the caller's flags), and injects the result. Our non-blocking
/// descriptor stays open while it waits, so the FIFO keeps the end the caller is waiting with. If the
/// caller goes away meanwhile, the helper still waits until the other end comes, then drops the file.
/// </summary>
internal sealed class FifoOpener
{
    private const int MaxWaiting = 64, ENFILE = 23;
    private int _waiting;

    public OpenEmulator.Outcome Start(SeccompListener listener, ulong id, int fifo, OpenRequest request, CallerContext caller)
    {
        if (Interlocked.Increment(ref _waiting) > MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            NativePath.Close(fifo);
            return OpenEmulator.Answer(listener, id, -ENFILE, $"more than {MaxWaiting} FIFO opens are waiting for their other end");
        }
        var how = request.How with { Resolve = 0 };
        how.Flags = (how.Flags | O_CLOEXEC | O_NOCTTY) & ~(ulong)O_NONBLOCK;
        var credentials = caller.Credentials;
        bool sameUserNamespace = caller.SameUserNamespace, closeOnExec = (request.Flags & O_CLOEXEC) != 0;
        var thread = new Thread(() =>
        {
            try { Finish(listener, id, fifo, how, credentials, sameUserNamespace, closeOnExec); }
            finally { Interlocked.Decrement(ref _waiting); }
        }) { IsBackground = true, Name = "seccomp-fifo-open" };
        thread.Start();
        return new OpenEmulator.Outcome(0, "a FIFO open waits for its other end on a helper thread");
    }

    private static void Finish(SeccompListener listener, ulong id, int fifo, OpenHow how, CallerCredentials caller, bool sameUserNamespace, bool closeOnExec)
    {
        int proc = NativePath.OpenAt(AT_FDCWD, "/proc\0"u8, O_PATH | O_DIRECTORY);
        var credentials = ThreadCredentials.ForCurrentThread(out var failure);
        int fd;
        if (proc < 0 || credentials is null) fd = -Bpf.LinuxErrno.EPERM;
        else if (credentials.Switch(caller, sameUserNamespace, out failure) is var error && error != 0) fd = -error;
        else
        {
            fd = NativePath.OpenAt2(proc, NativePath.Z($"thread-self/fd/{fifo}"), how);
            credentials.Restore();
        }
        NativePath.Close(proc);
        NativePath.Close(fifo);
        if (fd < 0) OpenEmulator.Answer(listener, id, fd);
        else OpenEmulator.Inject(listener, id, fd, closeOnExec);
    }
}
