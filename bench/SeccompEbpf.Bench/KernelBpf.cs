using System.Runtime.InteropServices;
using System.Text;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bench;

/// <summary>
/// A minimal private bpf(2) bridge for the benchmark (the product's bridge belongs in
/// src/SeccompEbpf.Linux/Kernel and was not available when this was written): create maps, load a
/// socket filter, run it with BPF_PROG_TEST_RUN. Needs root (or CAP_BPF + CAP_NET_ADMIN).
/// Offsets follow union bpf_attr in include/uapi/linux/bpf.h.
/// </summary>
internal static unsafe partial class KernelBpf
{
    private const int SysBpf = 321; // x86_64
    private const int MapCreate = 0, MapUpdateElem = 2, ProgLoad = 5, ProgTestRun = 10;
    public const uint ProgTypeSocketFilter = 1;
    public const uint MapTypeHash = 1, MapTypeArray = 2;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long cmd, void* attr, long size);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    private static long Bpf(int cmd, byte* attr, int size) => Syscall(SysBpf, cmd, attr, size);

    private static string Errno(string what) => $"{what} failed: errno {Marshal.GetLastPInvokeError()} ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})";

    public static (int Fd, string? Error) CreateMap(uint type, uint keySize, uint valueSize, uint maxEntries)
    {
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        *(uint*)(attr + 0) = type;
        *(uint*)(attr + 4) = keySize;
        *(uint*)(attr + 8) = valueSize;
        *(uint*)(attr + 12) = maxEntries;
        long fd = Bpf(MapCreate, attr, 128);
        return fd < 0 ? (-1, Errno("BPF_MAP_CREATE")) : ((int)fd, null);
    }

    public static string? UpdateElement(int mapFd, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            *(uint*)(attr + 0) = (uint)mapFd;
            *(ulong*)(attr + 8) = (ulong)k;
            *(ulong*)(attr + 16) = (ulong)v;
            return Bpf(MapUpdateElem, attr, 128) < 0 ? Errno("BPF_MAP_UPDATE_ELEM") : null;
        }
    }

    /// <summary>Loads a socket filter; on failure the error carries the verifier log.</summary>
    public static (int Fd, string? Error) LoadSocketFilter(Instruction[] code, string name)
    {
        var insns = InstructionCodec.EncodeProgram(code);
        var license = "GPL\0"u8.ToArray();
        var log = new byte[1 << 20];
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        fixed (byte* pInsns = insns)
        fixed (byte* pLicense = license)
        fixed (byte* pLog = log)
        {
            *(uint*)(attr + 0) = ProgTypeSocketFilter;
            *(uint*)(attr + 4) = (uint)code.Length;
            *(ulong*)(attr + 8) = (ulong)pInsns;
            *(ulong*)(attr + 16) = (ulong)pLicense;
            *(uint*)(attr + 24) = 1; // log_level
            *(uint*)(attr + 28) = (uint)log.Length;
            *(ulong*)(attr + 32) = (ulong)pLog;
            var nameBytes = Encoding.ASCII.GetBytes(name.Length > 15 ? name[..15] : name);
            nameBytes.CopyTo(new Span<byte>(attr + 48, 16));
            long fd = Bpf(ProgLoad, attr, 128);
            if (fd >= 0) return ((int)fd, null);
            string verifierLog = Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0)));
            return (-1, Errno("BPF_PROG_LOAD") + (verifierLog.Length > 0 ? "\n" + verifierLog[^Math.Min(verifierLog.Length, 2000)..] : ""));
        }
    }

    /// <summary>
    /// Runs the program <paramref name="repeat"/> times on a packet with the given __sk_buff
    /// context; returns the kernel's average duration in ns (its own clock, integer ns) and r0.
    /// </summary>
    public static (uint DurationNs, uint Retval, string? Error) TestRun(int progFd, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> skbContext, uint repeat)
    {
        byte* attr = stackalloc byte[128];
        new Span<byte>(attr, 128).Clear();
        fixed (byte* data = packet)
        fixed (byte* ctx = skbContext)
        {
            *(uint*)(attr + 0) = (uint)progFd;
            *(uint*)(attr + 8) = (uint)packet.Length;
            *(ulong*)(attr + 16) = (ulong)data;
            *(uint*)(attr + 32) = repeat;
            *(uint*)(attr + 40) = (uint)skbContext.Length;
            *(ulong*)(attr + 48) = (ulong)ctx;
            if (Bpf(ProgTestRun, attr, 128) < 0) return (0, 0, Errno("BPF_PROG_TEST_RUN"));
            return (*(uint*)(attr + 36), *(uint*)(attr + 4), null);
        }
    }
}
