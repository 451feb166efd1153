using System.Text;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// What an open carried out by the supervisor must not reach in procfs. In procfs "the current
/// process" is whoever opens, and a process may always open its own /proc files (the ptrace check
/// passes for its own thread group): /proc/self, /proc/thread-self and /proc/PID of the supervisor
/// would give the sandbox the supervisor's memory, environment and file descriptors (among them the
/// notification listener). So:
/// <list type="bullet">
/// <item>"self" and "thread-self" at a procfs root name the caller (its tgid, and tgid/task/tid), in a
/// procfs of the supervisor's pid namespace; in any other procfs they are refused;</item>
/// <item>nothing inside a pid directory of the supervisor's process (any of its threads) is opened, and
/// no magic link there is followed;</item>
/// <item>a magic link elsewhere (another process's fd/N, cwd, root, exe...) is followed by the kernel
/// with the caller's credentials, so the ptrace check is made against the link's owner as it would
/// be for the caller; a link that ends in procfs is refused (its owner could not be checked).</item>
/// </list>
/// All checks run with the caller's credentials in place, on descriptors, never on path text.
/// </summary>
internal static class ProcfsRules
{
    private const int MaxDepth = 16;

    public static bool IsRoot(int fd) =>
        NativePath.IsProcfs(fd) && StatxBuffer.Of(fd, out var st, StatxBuffer.Ino) == 0 && st.Inode == ProcRootInode;

    /// <summary>
    /// True when <paramref name="fd"/> (a directory of a procfs, or a descriptor on one) lies in a pid
    /// directory of the supervisor's process. Walks ".." up to the procfs root; the directory just below
    /// it is a pid directory when it has a "status" file, whose Tgid (in that procfs's numbering) is
    /// compared with what "self" names there for the supervisor. Fails closed: anything it cannot
    /// establish counts as the supervisor's.
    /// </summary>
    public static bool InSupervisorProcess(int directoryFd)
    {
        int current = NativePath.OpenAt(directoryFd, ".\0"u8, O_PATH | O_DIRECTORY);
        if (current < 0) return true;
        try
        {
            for (int depth = 0; depth < MaxDepth; depth++)
            {
                if (StatxBuffer.Of(current, out var st, StatxBuffer.Ino) != 0) return true;
                if (st.Inode == ProcRootInode) return false; // the root itself is nobody's
                int parent = NativePath.OpenAt(current, "..\0"u8, O_PATH | O_DIRECTORY);
                if (parent < 0) return true;
                if (StatxBuffer.Of(parent, out var up, StatxBuffer.Ino) != 0) { NativePath.Close(parent); return true; }
                if (up.Inode == ProcRootInode && NativePath.IsProcfs(parent))
                {
                    bool ours = IsSupervisorPidDirectory(parent, current);
                    NativePath.Close(parent);
                    return ours;
                }
                NativePath.Close(current);
                current = parent;
            }
            return true;
        }
        finally { NativePath.Close(current); }
    }

    private static bool IsSupervisorPidDirectory(int procRoot, int entry)
    {
        var status = NativePath.ReadSmallFile(entry, "status");
        if (status is null) return false; // not a pid directory (sys, net, driver...)
        var tgid = Field(status, "Tgid");
        if (tgid is null) return true;
        var self = NativePath.ReadLink(procRoot, "self\0"u8, out int errno);
        if (self is null) return errno != SeccompEbpf.Bpf.LinuxErrno.ENOENT; // ENOENT: the supervisor is not visible in this procfs
        return Encoding.ASCII.GetString(self) == tgid;
    }

    /// <summary>
    /// What "self" (or "thread-self") at <paramref name="procRoot"/> means for the caller: its tgid
    /// (tgid/task/tid), as path components; null when this procfs is not of the supervisor's pid
    /// namespace (the supervisor's own status there lists more than one pid level) or the caller is gone.
    /// </summary>
    public static string[]? SelfFor(int procRoot, int callerTid, bool threadSelf)
    {
        var self = NativePath.ReadLink(procRoot, "self\0"u8, out _);
        if (self is null) return null;
        var ownStatus = NativePath.ReadSmallFile(procRoot, Encoding.ASCII.GetString(self) + "/status");
        if (ownStatus is null || Field(ownStatus, "NStgid") is not { } levels || levels.Split('\t', ' ').Count(t => t.Length > 0) != 1) return null;
        var callerStatus = NativePath.ReadSmallFile(procRoot, $"{callerTid}/status");
        if (callerStatus is null || Field(callerStatus, "Tgid") is not { } tgid) return null;
        return threadSelf ? [tgid, "task", callerTid.ToString()] : [tgid];
    }

    private static string? Field(string status, string name)
    {
        foreach (var line in status.AsSpan().EnumerateLines())
            if (line.StartsWith(name) && line.Length > name.Length && line[name.Length] == ':')
                return line[(name.Length + 1)..].Trim().ToString();
        return null;
    }
}
