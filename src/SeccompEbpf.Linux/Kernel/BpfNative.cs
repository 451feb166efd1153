using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Kernel;

/// <summary>The raw bpf(2) system call and close(2): the only native entry points of the kernel bridge.</summary>
internal static unsafe partial class BpfNative
{
    /// <summary>__NR_bpf on x86_64 (aarch64 uses 280).</summary>
    public static long SyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        _ => -1,
    };

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long cmd, void* attr, long size);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>Calls bpf(cmd, attr, size); returns the result or -errno.</summary>
    public static long Bpf(BpfCommand cmd, Span<byte> attr)
    {
        if (SyscallNumber < 0) return -38; // ENOSYS
        fixed (byte* p = attr)
        {
            long r = Syscall(SyscallNumber, (long)cmd, p, attr.Length);
            return r < 0 ? -Marshal.GetLastPInvokeError() : r;
        }
    }
}

/// <summary>bpf(2) commands used here (enum bpf_cmd).</summary>
public enum BpfCommand
{
    MapCreate = 0,
    MapUpdateElem = 2,
    ProgLoad = 5,
    ProgTestRun = 10,
}
