using System.Runtime.InteropServices;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// File-system and credential calls the supervisor uses to carry out an open for a sandboxed caller.
/// The credential calls go through syscall(2) on purpose: glibc's setgroups (like setuid) changes
/// every thread of the process, the raw system call only the calling thread.
/// </summary>
internal static unsafe partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5);

    [LibraryImport(Lib, EntryPoint = "readlinkat", SetLastError = true)]
    public static partial nint ReadLinkAt(int dirFd, byte* path, byte* buffer, nuint size);

    [LibraryImport(Lib, EntryPoint = "pread64", SetLastError = true)]
    public static partial nint PRead(int fd, void* buffer, nuint count, long offset);

    [LibraryImport(Lib, EntryPoint = "fstatfs", SetLastError = true)]
    public static partial int FStatFs(int fd, byte* buffer);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirFd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Lib, EntryPoint = "fchdir", SetLastError = true)]
    public static partial int FChdir(int fd);

    [LibraryImport(Lib, EntryPoint = "chroot", SetLastError = true)]
    public static partial int Chroot(byte* path);

    [LibraryImport(Lib, EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport(Lib, EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport(Lib, EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport(Lib, EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport(Lib, EntryPoint = "prlimit", SetLastError = true)]
    public static partial int PrLimit(int pid, int resource, void* newLimit, ulong* oldLimit);

    /// <summary>System-call numbers of this machine's native ABI, from the project's tables.</summary>
    public static class Nr
    {
        private static readonly SyscallTable Table = SyscallTable.For(RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => SyscallArch.X86_64,
            Architecture.Arm64 => SyscallArch.AArch64,
            Architecture.RiscV64 => SyscallArch.RiscV64,
            var other => throw new PlatformNotSupportedException($"no system-call table for {other}"),
        });

        public static readonly int OpenAt = Number("openat"), OpenAt2 = Number("openat2"),
            CapGet = Number("capget"), CapSet = Number("capset"),
            SetFsUid = Number("setfsuid"), SetFsGid = Number("setfsgid"), SetGroups = Number("setgroups");

        private static int Number(string name) => Table.TryGetNumber(name, out var number)
            ? number : throw new PlatformNotSupportedException($"{name} is not in the {Table.Arch} system-call table");
    }

    public static int OpenAt(int dirFd, byte* path, int flags, uint mode = 0) =>
        (int)Syscall(Nr.OpenAt, dirFd, (long)path, flags, mode);

    public static int OpenAt2(int dirFd, byte* path, OpenHow* how) =>
        (int)Syscall(Nr.OpenAt2, dirFd, (long)path, (long)how, sizeof(OpenHow));
}

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

/// <summary>A struct statx buffer (the layout is the same on every architecture).</summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
internal unsafe struct StatxBuffer
{
    public const uint Type = 0x1, Mode = 0x2, Uid = 0x8, Ino = 0x100, Size = 0x200, MountId = 0x1000;
    public const uint Basic = 0x7ff;
    private fixed byte _bytes[256];

    public readonly uint FileMode => Read<ushort>(28);
    public readonly uint FileType => FileMode & OpenFlags.S_IFMT;
    public readonly ulong Inode => Read<ulong>(32);
    public readonly ulong FileSize => Read<ulong>(40);
    public readonly uint RdevMajor => Read<uint>(128);
    public readonly uint RdevMinor => Read<uint>(132);
    public readonly uint DevMajor => Read<uint>(136);
    public readonly uint DevMinor => Read<uint>(140);
    public readonly ulong MountIdValue => Read<ulong>(144);

    private readonly T Read<T>(int offset) where T : unmanaged
    {
        fixed (byte* p = _bytes) return *(T*)(p + offset);
    }

    /// <summary>statx of what <paramref name="fd"/> refers to; 0 or an errno.</summary>
    public static int Of(int fd, out StatxBuffer buffer, uint mask = Basic | MountId)
    {
        buffer = default;
        byte empty = 0;
        fixed (StatxBuffer* b = &buffer)
            return LibC.Statx(fd, &empty, OpenFlags.AT_EMPTY_PATH, mask, (byte*)b) == 0 ? 0 : LibC.LastErrno;
    }

    /// <summary>statx of <paramref name="path"/> (NUL-terminated) relative to <paramref name="dirFd"/>; 0 or an errno.</summary>
    public static int At(int dirFd, ReadOnlySpan<byte> path, int flags, out StatxBuffer buffer, uint mask = Basic | MountId)
    {
        buffer = default;
        fixed (byte* p = path)
        fixed (StatxBuffer* b = &buffer)
            return LibC.Statx(dirFd, p, flags, mask, (byte*)b) == 0 ? 0 : LibC.LastErrno;
    }
}
