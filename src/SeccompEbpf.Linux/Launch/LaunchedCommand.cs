using SeccompEbpf.Bpf;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Linux.Supervisor;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// A started sandboxed command: its pid and pidfd, the listener (when the filter can notify) and the
/// control socket that tells whether execve worked.
/// </summary>
public sealed unsafe class LaunchedCommand : IDisposable
{
    private int _controlFd;
    private int _pidFd;
    private bool _reaped;

    public int Pid { get; }

    /// <summary>The listener, or null when the filter never notifies. Ownership passes to whoever takes it.</summary>
    public SeccompListener? Listener { get; }

    /// <summary>True when the listener was taken with pidfd_getfd because the hand-off message was itself held by the filter.</summary>
    public bool ListenerTakenFromProc { get; }

    internal LaunchedCommand(int pid, int pidFd, int controlFd, SeccompListener? listener, bool takenFromProc)
    {
        Pid = pid;
        _pidFd = pidFd;
        _controlFd = controlFd;
        Listener = listener;
        ListenerTakenFromProc = takenFromProc;
    }

    /// <summary>
    /// Blocks until the command has been exec'd (the control socket closes on exec) or execve failed.
    /// Returns null on success, or the launcher's message about why execve failed.
    /// </summary>
    public string? WaitForExec()
    {
        Span<byte> message = stackalloc byte[4096];
        string? failure = null;
        while (_controlFd >= 0)
        {
            var length = FdPassing.Receive(_controlFd, message, out var fd);
            if (fd >= 0) LibC.Close(fd); // a late copy of the listener we already took from /proc
            if (length <= 0) break;
            if (message[0] == LaunchProtocol.ExecFailed) failure = LaunchProtocol.DecodeText(message[..length]);
        }
        CloseControl();
        return failure;
    }

    /// <summary>
    /// Sends a signal to the command. False once it has been reaped. Through the pidfd when the kernel
    /// has pidfds; otherwise kill(2), which is safe too: the pid of our own unreaped child cannot be reused.
    /// </summary>
    public bool Signal(int signal)
    {
        if (_reaped) return false;
        return _pidFd >= 0 ? SeccompNotifyInterop.PidfdSendSignal(_pidFd, signal) == 0 : LibC.Kill(Pid, signal) == 0;
    }

    /// <summary>Waits for the command to end and reaps it.</summary>
    public ExitStatus Wait()
    {
        int status;
        while (LibC.WaitPid(Pid, &status, 0) < 0)
        {
            var errno = LibC.LastErrno;
            if (errno != LinuxErrno.EINTR) throw new IOException($"waitpid({Pid}): {LibC.ErrnoMessage(errno)}");
        }
        _reaped = true;
        return ExitStatus.FromWaitStatus(status);
    }

    private void CloseControl()
    {
        var fd = Interlocked.Exchange(ref _controlFd, -1);
        if (fd >= 0) LibC.Close(fd);
    }

    public void Dispose()
    {
        CloseControl();
        var pidFd = Interlocked.Exchange(ref _pidFd, -1);
        if (pidFd >= 0) LibC.Close(pidFd);
    }
}
