using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// The thread that carries out opens for callers (the supervisor's loop thread), with a filesystem
/// context of its own: unshare(CLONE_FS) once gives it a private root, cwd and umask, so chroot into
/// the caller's root and umask(caller's) change nothing for the rest of the process. It keeps
/// descriptors of its own root, cwd and /proc to come back to, and its credentials to restore.
/// </summary>
internal sealed unsafe class EmulationThread
{
    private readonly int _threadId = Environment.CurrentManagedThreadId; // one OS thread per managed thread: no gettid per check
    private readonly int _ownRoot, _ownCwd;
    private readonly ulong _rootMount, _rootInode, _userNamespace;
    private bool _chrooted;
    private uint? _savedUmask;

    /// <summary>An O_PATH descriptor of this process's /proc (for the caller's /proc/TID entries and our own fd table).</summary>
    public int OwnProc { get; }

    public ThreadCredentials Credentials { get; }

    /// <summary>The callers' /proc/TID/status, kept open between calls.</summary>
    public CallerStatusFiles StatusFiles { get; }

    private EmulationThread(int root, int cwd, int proc, ThreadCredentials credentials, in StatxBuffer rootId, ulong userNamespace)
    {
        _ownRoot = root;
        _ownCwd = cwd;
        OwnProc = proc;
        Credentials = credentials;
        StatusFiles = new CallerStatusFiles(proc);
        _rootMount = rootId.MountIdValue;
        _rootInode = rootId.Inode;
        _userNamespace = userNamespace;
    }

    /// <summary>Sets up the current thread; null with the reason when it cannot (emulation then fails closed).</summary>
    public static EmulationThread? ForCurrentThread(out string? failure)
    {
        failure = null;
        if (LibC.Unshare(CLONE_FS) != 0) { failure = "unshare(CLONE_FS): " + LibC.ErrnoMessage(LibC.LastErrno); return null; }
        int root = NativePath.OpenAt(AT_FDCWD, "/\0"u8, O_PATH | O_DIRECTORY);
        int cwd = NativePath.OpenAt(AT_FDCWD, ".\0"u8, O_PATH | O_DIRECTORY);
        int proc = NativePath.OpenAt(AT_FDCWD, "/proc\0"u8, O_PATH | O_DIRECTORY);
        var credentials = ThreadCredentials.ForCurrentThread(out failure);
        if (root < 0 || cwd < 0 || proc < 0 || credentials is null
            || StatxBuffer.Of(root, out var rootId) != 0
            || StatxBuffer.At(proc, "thread-self/ns/user\0"u8, 0, out var userNs, StatxBuffer.Ino) != 0)
        {
            failure ??= "cannot open this process's root, cwd or /proc";
            NativePath.Close(root); NativePath.Close(cwd); NativePath.Close(proc);
            return null;
        }
        return new EmulationThread(root, cwd, proc, credentials, rootId, userNs.Inode);
    }

    public bool IsOwnRoot(in StatxBuffer root) => root.MountIdValue == _rootMount && root.Inode == _rootInode;

    public bool IsOwnUserNamespace(ulong inode) => inode == _userNamespace;

    /// <summary>Takes on the caller's root (when it differs), credentials and umask; 0, or an errno with the reason.</summary>
    public int Enter(CallerContext caller, bool creates, out string? failure)
    {
        CheckThread();
        failure = null;
        if (caller.RootFd >= 0)
        {
            // chroot needs CAP_SYS_CHROOT: before the caller's capabilities are taken on.
            if (LibC.FChdir(caller.RootFd) != 0 || Chroot(".\0"u8) != 0)
            {
                failure = "cannot enter the caller's root directory: " + LibC.ErrnoMessage(LibC.LastErrno);
                Leave();
                return Bpf.LinuxErrno.EPERM;
            }
            _chrooted = true;
        }
        int error = Credentials.Switch(caller.Credentials, caller.SameUserNamespace, out failure);
        if (error != 0) { Leave(); return error; }
        // The real umask, not a pre-masked mode: the kernel skips the umask under a default ACL.
        if (creates) _savedUmask = LibC.Umask(caller.Credentials.Umask);
        return 0;
    }

    /// <summary>Back to the supervisor's own umask, credentials and root; stops the process if that fails.</summary>
    public void Leave()
    {
        CheckThread();
        if (_savedUmask is { } umask) { LibC.Umask(umask); _savedUmask = null; }
        Credentials.Restore();
        if (!_chrooted) return;
        if (LibC.FChdir(_ownRoot) != 0 || Chroot(".\0"u8) != 0 || LibC.FChdir(_ownCwd) != 0)
            Environment.FailFast("seccomp-ebpf: the supervisor could not leave a caller's root directory after an emulated open");
        _chrooted = false;
    }

    private static int Chroot(ReadOnlySpan<byte> zPath)
    {
        fixed (byte* p = zPath) return LibC.Chroot(p);
    }

    private void CheckThread()
    {
        if (Environment.CurrentManagedThreadId != _threadId) throw new InvalidOperationException("the emulation thread's state is used from its own thread only");
    }
}
