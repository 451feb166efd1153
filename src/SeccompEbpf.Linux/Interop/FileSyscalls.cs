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
