using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// seccomp(2) and the user-notification ioctls, with the kernel's structures laid out exactly
/// (include/uapi/linux/seccomp.h). The seccomp syscall has no libc wrapper, so it goes through
/// syscall(2) with the number for this architecture.
/// </summary>
internal static unsafe class SeccompNotifyInterop
{
    public const int SECCOMP_SET_MODE_FILTER = 1;
    public const int SECCOMP_GET_NOTIF_SIZES = 3;

    // Filter flags (SECCOMP_FILTER_FLAG_*): SeccompEbpf.Model.SeccompFilterFlags.

    public const uint UserNotifFlagContinue = 1u << 0;
    /// <summary>SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6): wake the target on the supervisor's CPU.</summary>
    public const ulong NotifFdSyncWakeUp = 1ul << 0;

    // _IOWR('!', 0, struct seccomp_notif) etc.: dir<<30 | size<<16 | '!'<<8 | nr.
    public const ulong IoctlNotifRecv = 0xC0502100;
    public const ulong IoctlNotifSend = 0xC0182101;
    public const ulong IoctlNotifIdValid = 0x40082102;
    public const ulong IoctlNotifAddFd = 0x40182103;
    public const ulong IoctlNotifSetFlags = 0x40082104;

    public static int SeccompSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 317,
        Architecture.Arm64 => 277,
        Architecture.RiscV64 => 277,
        var other => throw new PlatformNotSupportedException($"seccomp(2) number unknown for {other}"),
    };

    // Numbers from the unified table (Linux 5.1+), the same on every architecture.
    public const int PidfdSendSignalNumber = 424;
    public const int PidfdOpenNumber = 434;
    public const int PidfdGetfdNumber = 438;

    /// <summary>seccomp(SECCOMP_SET_MODE_FILTER, flags, &amp;prog): 0 or a listener fd, -1 with errno.</summary>
    public static int SetModeFilter(uint flags, SockFprog* program) =>
        (int)LibC.Syscall(SeccompSyscallNumber, SECCOMP_SET_MODE_FILTER, flags, (long)program);

    public static int GetNotifSizes(SeccompNotifSizes* sizes) =>
        (int)LibC.Syscall(SeccompSyscallNumber, SECCOMP_GET_NOTIF_SIZES, 0, (long)sizes);

    public static int PidfdOpen(int pid, uint flags) => (int)LibC.Syscall(PidfdOpenNumber, pid, flags, 0);

    public static int PidfdGetfd(int pidfd, int targetFd) => (int)LibC.Syscall(PidfdGetfdNumber, pidfd, targetFd, 0);

    public static int PidfdSendSignal(int pidfd, int signal) => (int)LibC.Syscall(PidfdSendSignalNumber, pidfd, signal, 0, 0);
}

/// <summary>struct sock_fprog: u16 len, then the pointer (aligned to 8).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockFprog
{
    public ushort Length;
    public void* Filter;
}

[StructLayout(LayoutKind.Sequential)]
internal struct SeccompNotifSizes
{
    public ushort Notif;
    public ushort NotifResp;
    public ushort Data;
}

/// <summary>struct seccomp_notif: id u64, pid u32, flags u32, then struct seccomp_data (64 bytes) — 80 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
internal unsafe struct SeccompNotifRaw
{
    [FieldOffset(0)] public ulong Id;
    [FieldOffset(8)] public uint Pid;
    [FieldOffset(12)] public uint Flags;
    [FieldOffset(16)] public int Nr;
    [FieldOffset(20)] public uint Arch;
    [FieldOffset(24)] public ulong InstructionPointer;
    [FieldOffset(32)] public fixed ulong Args[6];
}

/// <summary>struct seccomp_notif_resp: id u64, val s64, error s32, flags u32 — 24 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct SeccompNotifRespRaw
{
    [FieldOffset(0)] public ulong Id;
    [FieldOffset(8)] public long Val;
    [FieldOffset(16)] public int Error;
    [FieldOffset(20)] public uint Flags;
}

/// <summary>struct seccomp_notif_addfd: id u64, flags u32, srcfd u32, newfd u32, newfd_flags u32 — 24 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct SeccompNotifAddFdRaw
{
    [FieldOffset(0)] public ulong Id;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public uint SourceFd;
    [FieldOffset(16)] public uint NewFd;
    [FieldOffset(20)] public uint NewFdFlags;
}
