using System.Collections.Concurrent;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Bpf.LinuxErrno;
using static SeccompEbpf.Linux.Interop.LinuxConstants;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>
/// Learns when sandboxed processes end, so that what the supervisor keeps per process (task storage)
/// is released with the process, as the kernel frees task storage with the task. Each watched process
/// is held by a pidfd, which names that process and no later one with the same number; a background
/// thread waits on all of them with epoll and queues the thread-group ids of those that exited. The
/// supervisor thread takes them from the queue before each decision (<see cref="TryTakeExited"/>).
/// <see cref="Watch"/>, <see cref="IsWatched"/> and <see cref="TryTakeExited"/> belong to the supervisor thread.
/// </summary>
internal sealed unsafe class ProcessExitWatcher : IDisposable
{
    private const ulong WakeToken = ulong.MaxValue;
    private readonly Dictionary<int, int> _pidFds = new(); // tgid → pidfd, live (or exited but not yet taken)
    private readonly ConcurrentQueue<int> _exited = new();
    private readonly int _epoll;
    private readonly int _wake;
    private Thread? _thread;
    private bool _disposed;

    public ProcessExitWatcher()
    {
        _epoll = LibC.EpollCreate1(EPOLL_CLOEXEC);
        _wake = _epoll >= 0 ? LibC.EventFd(0, EFD_CLOEXEC) : -1;
        if (_wake >= 0) Add(_wake, WakeToken);
    }

    /// <summary>False when the kernel gave no epoll or eventfd: processes are then not followed.</summary>
    public bool Works => _epoll >= 0 && _wake >= 0;

    /// <summary>Processes followed now.</summary>
    public int Count => _pidFds.Count;

    /// <summary>True when <paramref name="tgid"/> names a process being followed, which is alive or has just ended.</summary>
    public bool IsWatched(int tgid) => _pidFds.ContainsKey(tgid);

    /// <summary>
    /// Follows process <paramref name="tgid"/>. Call it while deciding a notified call of that process:
    /// the call is pending, so the number still names the caller's process (the caller may be killed
    /// meanwhile, but its number is only reused after the kernel has gone through the whole pid space).
    /// False if it cannot be followed.
    /// </summary>
    public bool Watch(int tgid)
    {
        if (!Works || _pidFds.ContainsKey(tgid)) return Works;
        int pidFd = SeccompNotifyInterop.PidfdOpen(tgid, 0);
        if (pidFd < 0) return false;
        if (!Add(pidFd, ((ulong)(uint)pidFd << 32) | (uint)tgid))
        {
            LibC.Close(pidFd);
            return false;
        }
        _pidFds[tgid] = pidFd;
        if (_thread is null)
        {
            _thread = new Thread(WaitForExits) { IsBackground = true, Name = "seccomp-exits" };
            _thread.Start();
        }
        return true;
    }

    /// <summary>The next process that ended since the last call, if any; it is no longer followed.</summary>
    public bool TryTakeExited(out int tgid)
    {
        if (!_exited.TryDequeue(out tgid)) return false;
        _pidFds.Remove(tgid);
        return true;
    }

    private bool Add(int fd, ulong data)
    {
        byte* evt = stackalloc byte[16];
        *(uint*)evt = EPOLLIN;
        *(ulong*)(evt + EpollEventLayout.DataOffset) = data;
        return LibC.EpollCtl(_epoll, EPOLL_CTL_ADD, fd, evt) == 0;
    }

    private void WaitForExits()
    {
        const int Batch = 32;
        byte* events = stackalloc byte[16 * Batch];
        while (true)
        {
            int count = LibC.EpollWait(_epoll, events, Batch, -1);
            if (count < 0)
            {
                if (LibC.LastErrno == EINTR) continue;
                return;
            }
            for (int i = 0; i < count; i++)
            {
                ulong data = *(ulong*)(events + i * EpollEventLayout.Size + EpollEventLayout.DataOffset);
                if (data == WakeToken) return;
                int pidFd = (int)(data >> 32), tgid = (int)(uint)data;
                // A pidfd is readable once its whole thread group has exited. Stop watching it here;
                // the supervisor thread forgets the tgid when it takes it from the queue.
                LibC.EpollCtl(_epoll, EPOLL_CTL_DEL, pidFd, null);
                LibC.Close(pidFd);
                _exited.Enqueue(tgid);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_thread is { } thread)
        {
            ulong one = 1;
            LibC.Write(_wake, &one, sizeof(ulong));
            thread.Join();
        }
        // The thread closed the pidfds of exited processes (still queued); close the others.
        while (TryTakeExited(out _)) { }
        foreach (var pidFd in _pidFds.Values) LibC.Close(pidFd);
        _pidFds.Clear();
        if (_wake >= 0) LibC.Close(_wake);
        if (_epoll >= 0) LibC.Close(_epoll);
    }
}
