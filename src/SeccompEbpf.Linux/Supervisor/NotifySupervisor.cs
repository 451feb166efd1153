using System.Runtime.InteropServices;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// The single loop that answers notified system calls: receive, ask the decider, respond.
/// It runs on one dedicated background thread that polls the listener and a stop event, then
/// receives with SECCOMP_IOCTL_NOTIF_RECV. (A blocked RECV never returns once the sandboxed
/// processes are gone, so poll is what lets the loop end: on POLLHUP — no process uses the filter
/// any more — or on <see cref="Stop"/>.) If the supervisor process dies instead, the kernel closes
/// the listener and every later notified call fails with ENOSYS: the sandbox fails closed.
/// </summary>
public sealed unsafe class NotifySupervisor : IDisposable
{
    private readonly SeccompListener _listener;
    private readonly ISyscallDecider _decider;
    private readonly DecisionLog? _log;
    private readonly int _stopEvent;
    private Thread? _thread;
    private long _handled;

    public NotifySupervisor(SeccompListener listener, ISyscallDecider decider, DecisionLog? log = null)
    {
        _listener = listener;
        _decider = decider;
        _log = log;
        _stopEvent = LibC.EventFd(0, LinuxConstants.EFD_CLOEXEC);
        if (_stopEvent < 0) throw new IOException($"eventfd: {LibC.ErrnoMessage(LibC.LastErrno)}");
    }

    public SeccompListener Listener => _listener;

    /// <summary>Notifications answered so far.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>The first exception a decider threw (its call was answered with ENOSYS), if any.</summary>
    public Exception? DeciderFailure { get; private set; }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "seccomp-notify" };
        _thread.Start();
    }

    /// <summary>Runs the loop on the calling thread until <see cref="Stop"/>, or until no process uses the filter.</summary>
    public void Run()
    {
        var buffer = (byte*)NativeMemory.AllocZeroed((nuint)_listener.NotifBytes);
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _listener.Fd, Events = LinuxConstants.POLLIN };
        fds[1] = new PollFd { Fd = _stopEvent, Events = LinuxConstants.POLLIN };
        try
        {
            while (true)
            {
                fds[0].ReturnedEvents = fds[1].ReturnedEvents = 0;
                if (LibC.Poll(fds, 2, -1) < 0)
                {
                    if (LibC.LastErrno == LinuxConstants.EINTR) continue;
                    return;
                }
                if (fds[1].ReturnedEvents != 0) return;
                if ((fds[0].ReturnedEvents & LinuxConstants.POLLIN) == 0) return; // POLLHUP: the sandbox is gone
                var error = _listener.TryReceive(buffer);
                if (error is LinuxConstants.EINTR or LinuxConstants.ENOENT) continue;
                if (error != 0) return;
                var notification = ToNotification((SeccompNotifRaw*)buffer);
                var decision = Decide(notification);
                if (decision.Action.ActionBits != SeccompAction.Allow)
                    _log?.Write(notification, decision);
                ActionResponder.Respond(_listener, notification, decision.Action);
                Interlocked.Increment(ref _handled);
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    private SyscallDecision Decide(in SyscallNotification notification)
    {
        try
        {
            return _decider.Decide(notification, new NotifiedProcess(_listener, notification.Id, notification.Pid));
        }
        catch (Exception e)
        {
            // Fail closed: a broken policy must not let the call through.
            DeciderFailure ??= e;
            return new SyscallDecision(SeccompAction.ErrnoAction(LinuxConstants.ENOSYS), $"supervisor: the decider failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private static SyscallNotification ToNotification(SeccompNotifRaw* raw)
    {
        var args = new SeccompArgs();
        for (int i = 0; i < 6; i++) args[i] = raw->Args[i];
        return new SyscallNotification(raw->Id, (int)raw->Pid, raw->Flags,
            new SeccompData(raw->Nr, raw->Arch, raw->InstructionPointer, args));
    }

    /// <summary>Ends the loop (after the call it is answering, if any) and waits for it.</summary>
    public void Stop()
    {
        ulong one = 1;
        LibC.Write(_stopEvent, &one, sizeof(ulong));
        if (_thread is { } thread && thread != Thread.CurrentThread) thread.Join();
    }

    /// <summary>Waits until the loop ends by itself: every process using the filter has exited.</summary>
    public bool WaitUntilSandboxGone(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    /// <summary>Stops the loop and closes the listener: pending and later notified calls fail with ENOSYS.</summary>
    public void Dispose()
    {
        Stop();
        _listener.Dispose();
        LibC.Close(_stopEvent);
    }
}
