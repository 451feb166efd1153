using System.Text;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// A path walk one component at a time, for the opens the kernel's own walk cannot do safely for us:
/// those that end in procfs and those that need a magic link (/dev/stdin, /proc/self/fd/N...), which
/// the first attempt refuses with RESOLVE_NO_MAGICLINKS. Every step is a single-component openat with
/// O_NOFOLLOW, so the kernel still does the lookups, permission checks (with the caller's credentials,
/// already in place), mount crossings and ".." at the root; only symlinks are read and followed here,
/// at most 40 as in the kernel, so that <see cref="ProcfsRules"/> can be applied at each step.
/// Runs inside the caller's root (the thread is chrooted there when it differs from ours).
/// </summary>
internal sealed class ProcAwareWalk
{
    private const int MaxLinks = 40, ELOOP = 40;
    private readonly int _callerTid;
    private readonly int _ownProc;
    private readonly List<byte[]> _pending = new(); // the next component last
    private int _links;

    /// <param name="ownProc">an O_PATH descriptor of the supervisor's own /proc, opened before any chroot</param>
    public ProcAwareWalk(int callerTid, int ownProc)
    {
        _callerTid = callerTid;
        _ownProc = ownProc;
    }

    /// <summary>The refusal, when the open was refused by the /proc rule (the result is then -EACCES).</summary>
    public string? Refusal { get; private set; }

    /// <summary>Opens <paramref name="path"/> from <paramref name="startFd"/> (relative paths) with <paramref name="how"/>; the fd or -errno.</summary>
    public int Open(int startFd, byte[] path, OpenHow how)
    {
        Push(path);
        int current = path[0] == (byte)'/' ? OpenRoot() : NativePath.OpenAt(startFd, ".\0"u8, O_PATH);
        if (current < 0) return current;
        if (NativePath.IsProcfs(current) && !ProcfsRules.IsRoot(current) && ProcfsRules.InSupervisorProcess(current))
        {
            NativePath.Close(current);
            return Refuse("the start directory is in the /proc directory of the supervisor itself");
        }
        try { return Walk(ref current, how); }
        finally { NativePath.Close(current); }
    }

    private int Walk(ref int current, OpenHow how)
    {
        int flags = (int)how.Flags;
        bool followsLast = (flags & O_NOFOLLOW) == 0 && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
        while (_pending.Count > 0)
        {
            var name = _pending[^1];
            _pending.RemoveAt(_pending.Count - 1);
            bool last = _pending.Count == 0;
            var zName = NativePath.Z(name);
            if (!last && name is [(byte)'.']) continue;
            if (!last && name is [(byte)'.', (byte)'.'])
            {
                if (Step(ref current, NativePath.OpenAt(current, zName, O_PATH | O_DIRECTORY)) is { } failed) return failed;
                continue;
            }
            bool atProcRoot = ProcfsRules.IsRoot(current);
            bool isSelf = atProcRoot && (name.AsSpan().SequenceEqual("self"u8) || name.AsSpan().SequenceEqual("thread-self"u8));
            if (isSelf && (!last || followsLast))
            {
                if (++_links > MaxLinks) return -ELOOP;
                if (ProcfsRules.SelfFor(current, _callerTid, threadSelf: name.Length > 4) is not { } caller)
                    return Refuse("/proc/self of a procfs of another pid namespace than the supervisor");
                for (int i = caller.Length - 1; i >= 0; i--) _pending.Add(Encoding.ASCII.GetBytes(caller[i]));
                continue;
            }
            bool isLink = StatxBuffer.At(current, zName, AT_SYMLINK_NOFOLLOW, out var st, StatxBuffer.Type) == 0 && st.FileType == S_IFLNK;
            if (!isLink || (last && !followsLast))
            {
                if (last) return OpenLast(current, zName, how);
                if (Step(ref current, NativePath.OpenPathNoFollow(current, zName)) is { } failed) return failed;
                continue;
            }
            if (NativePath.IsProcfs(current) && !atProcRoot)
            {
                // A magic link (fd/N, cwd, root, exe, ns/*, map_files/*): only pid directories have them.
                int target = FollowMagicLink(current, zName);
                if (target < 0) return target;
                if (last) { int reopened = Reopen(target, how); NativePath.Close(target); return reopened; }
                NativePath.Close(current);
                current = target;
                continue;
            }
            if (++_links > MaxLinks) return -ELOOP;
            var link = NativePath.ReadLink(current, zName, out int errno);
            if (link is null) return -errno;
            if (link.Length == 0) return -Bpf.LinuxErrno.ENOENT;
            if (link[0] == (byte)'/' && Step(ref current, OpenRoot()) is { } noRoot) return noRoot;
            Push(link);
        }
        return OpenLast(current, ".\0"u8.ToArray(), how); // the path ended in the directory itself
    }

    private int OpenLast(int directory, byte[] zName, OpenHow how)
    {
        // NO_SYMLINKS: a name that turned into a symlink since it was looked at is not followed behind our back.
        how.Resolve |= RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        int fd = NativePath.OpenAt2(directory, zName, how);
        if (fd < 0 || !NativePath.IsProcfs(fd)) return fd;
        bool isDirectory = StatxBuffer.Of(fd, out var st, StatxBuffer.Type) == 0 && st.FileType == S_IFDIR;
        if (ProcfsRules.InSupervisorProcess(isDirectory ? fd : directory))
        {
            NativePath.Close(fd);
            return Refuse("the file is in the /proc directory of the supervisor itself");
        }
        return fd;
    }

    /// <summary>Follows a magic link as the kernel does for the caller (with its credentials), to an O_PATH descriptor.</summary>
    private int FollowMagicLink(int directory, byte[] zName)
    {
        if (ProcfsRules.InSupervisorProcess(directory)) return Refuse("a magic link in the /proc directory of the supervisor itself");
        int target = NativePath.OpenAt(directory, zName, O_PATH);
        if (target >= 0 && NativePath.IsProcfs(target))
        {
            NativePath.Close(target);
            return Refuse("a magic link to a procfs file");
        }
        return target;
    }

    /// <summary>Opens the file an O_PATH descriptor refers to, with the open's flags, through our own fd table.</summary>
    private int Reopen(int target, OpenHow how)
    {
        how.Resolve = 0;
        return NativePath.OpenAt2(_ownProc, NativePath.Z($"thread-self/fd/{target}"), how);
    }

    private int OpenRoot() => NativePath.OpenAt(OpenFlags.AT_FDCWD, "/\0"u8, O_PATH | O_DIRECTORY);

    /// <summary>Moves to <paramref name="next"/>, or returns its error.</summary>
    private static int? Step(ref int current, int next)
    {
        if (next < 0) return next;
        NativePath.Close(current);
        current = next;
        return null;
    }

    private void Push(byte[] path)
    {
        // Inserted at the same index, the first component ends up last in the list: it is taken next.
        int insertAt = _pending.Count;
        foreach (var range in path.AsSpan().Split((byte)'/'))
        {
            var part = path.AsSpan()[range];
            if (!part.IsEmpty) _pending.Insert(insertAt, part.ToArray());
        }
        // A trailing slash means the last component must be a directory: walk into it, then open ".".
        if (path[^1] == (byte)'/') _pending.Insert(insertAt, [(byte)'.']);
    }

    private int Refuse(string why)
    {
        Refusal = why;
        return -Bpf.LinuxErrno.EACCES;
    }
}
