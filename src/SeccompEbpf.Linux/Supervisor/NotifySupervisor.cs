using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SeccompEbpf.Bpf;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// The single loop that answers notified system calls: receive, ask the decider, respond.
/// It runs on one dedicated background thread blocked in SECCOMP_IOCTL_NOTIF_RECV, so a round trip
/// costs the same two ioctls a minimal C loop makes; hot methods are compiled fully optimised at
/// once (no tier-0 phase). If the supervisor process dies, the kernel closes the listener and every
/// later notified call fails with ENOSYS: the sandbox fails closed.
/// </summary>
public sealed unsafe class NotifySupervisor : IDisposable
{
    private readonly SeccompListener _listener;
    private readonly ISyscallDecider _decider;
    private readonly DecisionLog? _log;
    // The loop blocks in SECCOMP_IOCTL_NOTIF_RECV with no poll in front (poll costs a third more per
    // round trip). A blocked RECV does not return when the sandbox ends, so Stop() interrupts it
    // with SIGURG, whose default action is to do nothing; the registration below makes the signal
    // be delivered (and interrupt the call) instead of being discarded.
    private static readonly Lazy<PosixSignalRegistration> WakeSignal =
        new(() => PosixSignalRegistration.Create((PosixSignal)LinuxConstants.SIGURG, context => context.Cancel = true));
    private Thread? _thread;
    private nuint _loopThread;
    private bool _loopThreadKnown;
    private bool _stopping;
    private long _handled;
    private MemoryDependentAllow? _memoryDependent; // created on the loop thread, at the first memory-dependent ALLOW

    public NotifySupervisor(SeccompListener listener, ISyscallDecider decider, DecisionLog? log = null)
    {
        _listener = listener;
        _decider = decider;
        _log = log;
        _ = WakeSignal.Value;
    }

    public SeccompListener Listener => _listener;

    /// <summary>True while the loop thread runs.</summary>
    public bool IsRunning => _thread?.IsAlive ?? false;

    /// <summary>Notifications answered so far.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>Notifications answered before <see cref="AllocatedAfterWarmUp"/> starts counting (first runs fill caches, compile code).</summary>
    public const int WarmUpNotifications = 100;

    /// <summary>
    /// Bytes of managed memory the loop thread allocated after the first <see cref="WarmUpNotifications"/>
    /// answers, once the loop has ended; null if it answered fewer. The allow path is meant to allocate nothing.
    /// </summary>
    public long? AllocatedAfterWarmUp { get; private set; }

    /// <summary>The first exception a decider threw (its call was answered with ENOSYS), if any.</summary>
    public Exception? DeciderFailure { get; private set; }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "seccomp-notify" };
        _thread.Start();
    }

    /// <summary>Makes the calling thread the loop thread (as <see cref="Start"/> would have made a new one) and runs the loop on it.</summary>
    public void RunHere()
    {
        _thread = Thread.CurrentThread;
        Run();
    }

    /// <summary>Runs the loop on the calling thread until <see cref="Stop"/>, or until the listener fails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        _loopThread = LibC.PthreadSelf();
        Volatile.Write(ref _loopThreadKnown, true);
        var buffer = (byte*)NativeMemory.AllocZeroed((nuint)_listener.NotifBytes);
        long handled = 0, allocatedAtWarmUp = -1;
        try
        {
            while (!Volatile.Read(ref _stopping))
            {
                var error = _listener.TryReceive(buffer);
                if (error is LinuxErrno.EINTR or LinuxErrno.ENOENT) continue;
                if (error != 0) return;
                var notification = ToNotification((SeccompNotifRaw*)buffer);
                var decision = Decide(notification);
                if (decision.MemoryRead is not null && MemoryDependentAllow.Applies(decision))
                {
                    // Never continued: the supervisor carries the call out on the bytes the filter saw, or refuses it.
                    (_memoryDependent ??= new MemoryDependentAllow()).Respond(_listener, notification, decision, _log);
                }
                else
                {
                    if (decision.Action.ActionBits != SeccompAction.Allow)
                        _log?.Write(notification, decision);
                    ActionResponder.Respond(_listener, notification, decision.Action);
                }
                Volatile.Write(ref _handled, ++handled); // one writer: no locked increment needed
                if (handled == WarmUpNotifications) allocatedAtWarmUp = GC.GetAllocatedBytesForCurrentThread();
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
            if (allocatedAtWarmUp >= 0) AllocatedAfterWarmUp = GC.GetAllocatedBytesForCurrentThread() - allocatedAtWarmUp;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            return new SyscallDecision(SeccompAction.ErrnoAction(LinuxErrno.ENOSYS), $"supervisor: the decider failed: {e.GetType().Name}: {e.Message}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        Volatile.Write(ref _stopping, true);
        if (_thread is not { } thread || thread == Thread.CurrentThread) return;
        for (int attempt = 0; attempt < 100 && thread.IsAlive; attempt++)
        {
            if (Volatile.Read(ref _loopThreadKnown)) LibC.PthreadKill(_loopThread, LinuxConstants.SIGURG);
            thread.Join(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Stops the loop and closes the listener: pending and later notified calls fail with ENOSYS.</summary>
    public void Dispose()
    {
        Stop();
        _listener.Dispose();
    }
}
