using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// Where and as whom the caller's open resolves, read from /proc/TID while its call is held (the
/// supervisor's own credentials still in place): its root (an O_PATH descriptor when it is not ours:
/// chroot, another mount namespace), the directory a relative path starts from (its cwd or dirfd,
/// through the /proc/TID magic links, which name the very directory the caller holds), and its
/// credentials. The supervisor checks that the call is still pending after reading all this.
/// </summary>
internal sealed class CallerContext : IDisposable
{
    private CallerContext(int tid, CallerCredentials credentials, bool sameUserNamespace)
    {
        Tid = tid;
        Credentials = credentials;
        SameUserNamespace = sameUserNamespace;
    }

    public int Tid { get; }
    public CallerCredentials Credentials { get; }
    public bool SameUserNamespace { get; }

    /// <summary>The caller's root when it differs from the supervisor's, else -1.</summary>
    public int RootFd { get; private set; } = -1;

    /// <summary>The caller's dirfd or cwd when the path needs one, else -1.</summary>
    public int StartFd { get; private set; } = -1;

    /// <summary>The context, or the errno the call gets: EBADF for a dirfd that is not open, ESRCH when the caller is gone.</summary>
    public static (CallerContext? Context, int Errno) Read(int tid, OpenRequest request, EmulationThread thread)
    {
        var status = thread.StatusFiles.Read(tid);
        if (status is null || CallerCredentials.Parse(status) is not { } credentials) return (null, Bpf.LinuxErrno.ESRCH);
        if (StatxBuffer.At(thread.OwnProc, NativePath.Z($"{tid}/ns/user"), 0, out var userNs, StatxBuffer.Ino) != 0) return (null, Bpf.LinuxErrno.ESRCH);
        var context = new CallerContext(tid, credentials, thread.IsOwnUserNamespace(userNs.Inode));
        try
        {
            var root = NativePath.Z($"{tid}/root");
            if (StatxBuffer.At(thread.OwnProc, root, 0, out var rootId) != 0) return (null, Bpf.LinuxErrno.ESRCH);
            if (!thread.IsOwnRoot(rootId))
            {
                context.RootFd = NativePath.OpenAt(thread.OwnProc, root, O_PATH | O_DIRECTORY);
                if (context.RootFd < 0) return (null, Bpf.LinuxErrno.ESRCH);
            }
            if (request.NeedsDirFd)
            {
                if (request.DirFd != AT_FDCWD && request.DirFd < 0) return (null, Bpf.LinuxErrno.EBADF);
                var start = request.DirFd == AT_FDCWD ? $"{tid}/cwd" : $"{tid}/fd/{request.DirFd}";
                context.StartFd = NativePath.OpenAt(thread.OwnProc, NativePath.Z(start), O_PATH);
                if (context.StartFd < 0)
                    return (null, request.DirFd != AT_FDCWD && context.StartFd == -Bpf.LinuxErrno.ENOENT ? Bpf.LinuxErrno.EBADF : Bpf.LinuxErrno.ESRCH);
            }
            var result = context;
            context = null;
            return (result, 0);
        }
        finally { context?.Dispose(); }
    }

    public void Dispose()
    {
        NativePath.Close(RootFd);
        NativePath.Close(StartFd);
        RootFd = StartFd = -1;
    }
}
