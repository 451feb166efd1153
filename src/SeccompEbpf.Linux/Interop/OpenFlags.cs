using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Interop;

/// <summary>struct open_how (openat2): flags, mode, resolve — 24 bytes, every field 64-bit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OpenHow
{
    public ulong Flags;
    public ulong Mode;
    public ulong Resolve;
}

/// <summary>Open flags, resolve flags and file-type bits (asm-generic values; x86 uses them too).</summary>
internal static class OpenFlags
{
    public const int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    public const int O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100, O_TRUNC = 0x200, O_APPEND = 0x400,
        O_NONBLOCK = 0x800, O_DSYNC = 0x1000, FASYNC = 0x2000, O_DIRECT = 0x4000, O_LARGEFILE = 0x8000,
        O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_NOATIME = 0x40000, O_CLOEXEC = 0x80000,
        O_SYNC_BIT = 0x100000, O_PATH = 0x200000, O_TMPFILE_BIT = 0x400000;

    /// <summary>VALID_OPEN_FLAGS (include/linux/fcntl.h).</summary>
    public const int Valid = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC
        | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC_BIT | O_PATH | O_TMPFILE_BIT;

    /// <summary>The only flags O_PATH keeps (fs/open.c O_PATH_FLAGS).</summary>
    public const int PathFlags = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;

    public const ulong RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
        RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10, RESOLVE_CACHED = 0x20;

    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    public const int CLONE_FS = 0x200;
    public const int F_GETFL = 3, F_SETFL = 4;
    public const int RLIMIT_NOFILE = 7;

    public const uint S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;
    public const uint S_IALLUGO = 0xFFF;
    public const long PROC_SUPER_MAGIC = 0x9fa0;
    public const ulong ProcRootInode = 1;

    public static bool Creates(int flags) => (flags & (O_CREAT | O_TMPFILE_BIT)) != 0;
}
