using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// Opens a caller's file in the caller's context (root, start directory, credentials, umask already
/// taken on by <see cref="EmulationThread.Enter"/>), and makes the result look like the kernel's:
/// <list type="bullet">
/// <item>first the kernel's own walk, openat2 with RESOLVE_NO_MAGICLINKS added: a magic link would
/// resolve to the supervisor's files (its /proc/self/fd, cwd, root...);</item>
/// <item>a result in procfs, or a walk error (which the supervisor's own /proc entries may have caused:
/// ELOOP at a magic link, EACCES at its root-owned mem, ENOENT at an fd/N it lacks), is done again by
/// <see cref="ProcAwareWalk"/>, which applies <see cref="ProcfsRules"/>; an openat2 with RESOLVE_*
/// flags of its own that ends in procfs is refused;</item>
/// <item>O_NOCTTY always (the supervisor must not gain a controlling terminal); O_NONBLOCK for the open
/// itself, cleared afterwards unless asked for (the open of a FIFO must not block the supervisor);</item>
/// <item>/dev/tty is the opener's controlling terminal: kept only when the caller's is the same;</item>
/// <item>the 32-bit open and openat without O_LARGEFILE give EOVERFLOW for a file over 2 GiB.</item>
/// </list>
/// </summary>
internal static class EmulatedOpen
{
    private const int ENXIO = 6, EOVERFLOW = 75, EIO = 5, ENAMETOOLONG = 36, EEXIST = 17, ENOSPC = 28, EDQUOT = 122,
        EROFS = 30, ETXTBSY = 26, EMFILE = 24, ENFILE = 23, ENOMEM = 12;
    private const uint TtyMajor = 5, TtyMinor = 0;

    /// <summary>The outcome: our descriptor (to inject) or -errno, and the reason for a refusal.</summary>
    public readonly record struct Result(int Fd, string? Refusal, bool IsFifo = false);

    public static Result Run(OpenRequest request, CallerContext caller, EmulationThread thread)
    {
        var how = request.How;
        int callerFlags = request.Flags;
        ulong callerResolve = how.Resolve;
        bool isPath = (callerFlags & O_PATH) != 0;
        how.Flags |= O_CLOEXEC; // ours only: O_CLOEXEC is a property of the caller's fd, not of the file
        if (!isPath) how.Flags |= O_NOCTTY | O_NONBLOCK;
        how.Resolve |= RESOLVE_NO_MAGICLINKS;

        var path = NativePath.Z(request.Path);
        int start = request.NeedsDirFd ? caller.StartFd : AT_FDCWD;
        int fd = NativePath.OpenAt2(start, path, how);
        string? refusal = null;
        // The kernel's walk resolved /proc/self to the supervisor: a result in procfs, or an error that
        // the supervisor's /proc may have caused (its mem is root's, its fd/N are not the caller's...),
        // is done again one component at a time.
        bool inProcfs = fd >= 0 && NativePath.IsProcfs(fd);
        if (inProcfs || (fd < 0 && MayComeFromTheWalk(-fd) && callerResolve == 0))
        {
            NativePath.Close(fd);
            if (callerResolve != 0) return new Result(-Bpf.LinuxErrno.EACCES, "openat2 with RESOLVE_* flags into procfs is not emulated");
            how.Resolve = 0;
            var walk = new ProcAwareWalk(caller.Tid, thread.OwnProc);
            fd = walk.Open(start == AT_FDCWD ? AT_FDCWD : caller.StartFd, request.Path, how);
            refusal = walk.Refusal;
        }
        if (fd == -ENXIO && !isPath && (callerFlags & (O_ACCMODE | O_NONBLOCK)) == O_WRONLY) return WriterOfFifo(start, path, how);
        if (fd < 0) return new Result(fd, refusal);
        return Finish(fd, request, caller, thread, callerFlags);
    }

    /// <summary>
    /// A non-blocking open for writing gives ENXIO on a FIFO with no reader, where the caller's blocking
    /// open would wait for one: look again with O_PATH, and if it is a FIFO let the caller wait.
    /// </summary>
    private static Result WriterOfFifo(int start, byte[] path, OpenHow how)
    {
        var lookup = how with { Flags = O_PATH | O_CLOEXEC | (how.Flags & (O_NOFOLLOW | O_DIRECTORY)), Mode = 0 };
        int fd = NativePath.OpenAt2(start, path, lookup);
        if (fd >= 0 && !NativePath.IsProcfs(fd) && StatxBuffer.Of(fd, out var st, StatxBuffer.Type) == 0 && st.FileType == S_IFIFO)
            return new Result(fd, null, IsFifo: true);
        NativePath.Close(fd);
        return new Result(-ENXIO, null);
    }

    /// <summary>Errors a path walk can give; the others (bad flags, no space, read-only...) do not depend on whose /proc it saw.</summary>
    private static bool MayComeFromTheWalk(int errno) => errno is not (Bpf.LinuxErrno.EINVAL or Bpf.LinuxErrno.EFAULT or ENAMETOOLONG
        or EEXIST or ENOSPC or EDQUOT or EROFS or ETXTBSY or EMFILE or ENFILE or ENOMEM or Bpf.LinuxErrno.EAGAIN);

    private static Result Finish(int fd, OpenRequest request, CallerContext caller, EmulationThread thread, int callerFlags)
    {
        if (StatxBuffer.Of(fd, out var st, StatxBuffer.Type | StatxBuffer.Size) != 0) { NativePath.Close(fd); return new Result(-EIO, null); }
        if ((callerFlags & O_PATH) != 0) return new Result(fd, null);
        if (st.FileType == S_IFCHR && st.RdevMajor == TtyMajor && st.RdevMinor == TtyMinor && ControllingTerminal(thread, $"{caller.Tid}/stat") is var terminal && terminal != ControllingTerminal(thread, "self/stat"))
        {
            NativePath.Close(fd);
            return terminal == 0 ? new Result(-ENXIO, null) : new Result(-Bpf.LinuxErrno.EACCES, "/dev/tty of a caller with another controlling terminal than the supervisor");
        }
        if (!request.Syscall.ForcesLargeFile && (callerFlags & O_LARGEFILE) == 0 && st.FileType == S_IFREG && st.FileSize > int.MaxValue)
        {
            NativePath.Close(fd);
            return new Result(-EOVERFLOW, null);
        }
        // Only a FIFO reader with no writer yet would have waited: the others are done already.
        bool waitsForWriter = st.FileType == S_IFIFO && (callerFlags & O_ACCMODE) == O_RDONLY && (callerFlags & O_NONBLOCK) == 0;
        // F_SETFL sets only these bits; the file has the caller's plus our O_NONBLOCK, so this clears just ours.
        const int SetFlMask = O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME;
        if ((callerFlags & O_NONBLOCK) == 0 && !waitsForWriter && LibC.Fcntl(fd, F_SETFL, callerFlags & SetFlMask) != 0)
        {
            int e = LibC.LastErrno;
            NativePath.Close(fd);
            return new Result(-e, null);
        }
        return new Result(fd, null, IsFifo: waitsForWriter);
    }

    /// <summary>tty_nr of a /proc stat file (0: none), or -1 if unreadable. Read through our /proc: the thread may be chrooted.</summary>
    private static long ControllingTerminal(EmulationThread thread, string statFile)
    {
        var stat = NativePath.ReadSmallFile(thread.OwnProc, statFile);
        if (stat is null) return -1;
        // "pid (comm) state ppid pgrp session tty_nr ...": comm may hold spaces and parentheses.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 4 && long.TryParse(fields[4], out var tty) ? tty : -1;
    }
}
