using System.Text;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Linux.Kernel;

/// <summary>Program types used with the kernel bridge (enum bpf_prog_type).</summary>
public enum KernelProgType : uint
{
    SocketFilter = 1,
}

/// <summary>Result of BPF_PROG_LOAD: a program fd, or the errno and the verifier log.</summary>
public sealed record KernelLoadResult(BpfFd? Program, int Errno, string Log)
{
    public bool Accepted => Program is not null;
}

/// <summary>Result of BPF_PROG_TEST_RUN: the program's return value and the average run time in nanoseconds.</summary>
public sealed record KernelTestRun(uint ReturnValue, uint AverageNanoseconds);

/// <summary>
/// The kernel's bpf(2): load programs (with the verifier log), create maps, test-run programs.
/// Used to compare our verifier with the kernel's and for benchmarks. Needs root (or CAP_BPF).
/// </summary>
public static unsafe class KernelBpf
{
    /// <summary>True when bpf(2) works here (probed by creating a tiny array map).</summary>
    public static bool IsAvailable(out string reason)
    {
        if (BpfNative.SyscallNumber < 0) { reason = "bpf(2) bridge supports x86_64 and aarch64 only"; return false; }
        var r = TryCreateMap(new MapSpec("probe", MapType.Array, 4, 4, 1));
        reason = r.Fd is null ? $"bpf(BPF_MAP_CREATE) failed with errno {r.Errno} (needs root or CAP_BPF)" : "";
        r.Fd?.Dispose();
        return r.Fd is not null;
    }

    public static (BpfFd? Fd, int Errno) TryCreateMap(MapSpec spec)
    {
        Span<byte> attr = stackalloc byte[BpfAttr.Size];
        attr.Clear();
        BpfAttr.U32(attr, BpfAttr.MapType, (uint)spec.Type);
        BpfAttr.U32(attr, BpfAttr.MapKeySize, spec.KeySize);
        BpfAttr.U32(attr, BpfAttr.MapValueSize, spec.ValueSize);
        BpfAttr.U32(attr, BpfAttr.MapMaxEntries, spec.MaxEntries);
        BpfAttr.U32(attr, BpfAttr.MapFlags, spec.Flags);
        BpfAttr.Name(attr, BpfAttr.MapName, spec.Name);
        long r = BpfNative.Bpf(BpfCommand.MapCreate, attr);
        return r < 0 ? (null, (int)-r) : (new BpfFd((int)r), 0);
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> in a map (BPF_ANY); returns 0 or the errno.</summary>
    public static int UpdateElement(BpfFd map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> attr = stackalloc byte[BpfAttr.Size];
        attr.Clear();
        long r;
        fixed (byte* pKey = key)
        fixed (byte* pValue = value)
        {
            BpfAttr.U32(attr, BpfAttr.ElemMapFd, (uint)map.Fd);
            BpfAttr.U64(attr, BpfAttr.ElemKey, (ulong)pKey);
            BpfAttr.U64(attr, BpfAttr.ElemValue, (ulong)pValue);
            r = BpfNative.Bpf(BpfCommand.MapUpdateElem, attr);
        }
        return r < 0 ? (int)-r : 0;
    }

    /// <summary>Loads a program; with <paramref name="logLevel"/> &gt; 0 the verifier log is returned (truncated to <paramref name="logSize"/>).</summary>
    public static KernelLoadResult LoadProgram(KernelProgType type, IReadOnlyList<Instruction> program, string license = "GPL",
        int logLevel = 0, int logSize = 1 << 20, string name = "")
    {
        var insns = InstructionCodec.EncodeProgram(program);
        var licenseBytes = Encoding.ASCII.GetBytes(license + "\0");
        var log = new byte[logLevel > 0 ? logSize : 1];
        Span<byte> attr = stackalloc byte[BpfAttr.Size];
        attr.Clear();
        long r;
        fixed (byte* pInsns = insns)
        fixed (byte* pLicense = licenseBytes)
        fixed (byte* pLog = log)
        {
            BpfAttr.U32(attr, BpfAttr.ProgType, (uint)type);
            BpfAttr.U32(attr, BpfAttr.InsnCnt, (uint)program.Count);
            BpfAttr.U64(attr, BpfAttr.Insns, (ulong)pInsns);
            BpfAttr.U64(attr, BpfAttr.License, (ulong)pLicense);
            if (logLevel > 0)
            {
                BpfAttr.U32(attr, BpfAttr.LogLevel, (uint)logLevel);
                BpfAttr.U32(attr, BpfAttr.LogSize, (uint)log.Length);
                BpfAttr.U64(attr, BpfAttr.LogBuf, (ulong)pLog);
            }
            BpfAttr.Name(attr, BpfAttr.ProgName, name);
            r = BpfNative.Bpf(BpfCommand.ProgLoad, attr);
        }
        int end = Array.IndexOf(log, (byte)0);
        var text = Encoding.ASCII.GetString(log, 0, end < 0 ? log.Length : end);
        return r < 0 ? new KernelLoadResult(null, (int)-r, text) : new KernelLoadResult(new BpfFd((int)r), 0, text);
    }

    /// <summary>
    /// Runs a loaded program <paramref name="repeat"/> times on <paramref name="data"/> (a packet for socket filters),
    /// with an optional program context (for socket filters a prefix of struct __sk_buff; empty = none).
    /// </summary>
    public static (KernelTestRun? Run, int Errno) TestRun(BpfFd program, ReadOnlySpan<byte> data, uint repeat = 1, ReadOnlySpan<byte> context = default)
    {
        Span<byte> attr = stackalloc byte[BpfAttr.Size];
        attr.Clear();
        long r;
        fixed (byte* pData = data)
        fixed (byte* pContext = context)
        {
            BpfAttr.U32(attr, BpfAttr.TestProgFd, (uint)program.Fd);
            BpfAttr.U32(attr, BpfAttr.TestDataSizeIn, (uint)data.Length);
            BpfAttr.U64(attr, BpfAttr.TestDataIn, (ulong)pData);
            BpfAttr.U32(attr, BpfAttr.TestRepeat, repeat);
            if (!context.IsEmpty)
            {
                BpfAttr.U32(attr, BpfAttr.TestCtxSizeIn, (uint)context.Length);
                BpfAttr.U64(attr, BpfAttr.TestCtxIn, (ulong)pContext);
            }
            r = BpfNative.Bpf(BpfCommand.ProgTestRun, attr);
        }
        if (r < 0) return (null, (int)-r);
        return (new KernelTestRun(BpfAttr.ReadU32(attr, BpfAttr.TestRetval), BpfAttr.ReadU32(attr, BpfAttr.TestDuration)), 0);
    }
}
