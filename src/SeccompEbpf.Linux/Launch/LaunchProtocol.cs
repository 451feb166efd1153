using System.Buffers.Binary;
using System.Text;
using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Linux.Launch;

/// <summary>What the launcher child applies before execve, in the order it applies them.</summary>
internal readonly record struct LaunchPlan(
    int PreservedFds, bool KeepCapSysPtrace, LandlockRequest? Landlock,
    byte[] BaseFilter, byte[] Filter, uint ExtraFilterFlags, bool WantsListener);

/// <summary>
/// The messages between the supervisor and its launcher child on the control socket
/// (AF_UNIX SOCK_SEQPACKET, so every message arrives whole).
/// Supervisor → child: the plan: "SEP3", then little-endian fields in <see cref="LaunchPlan"/>'s order
/// (i32 preserved fds, u8 keep-CAP_SYS_PTRACE, the Landlock request: i32 ABI (0: none), u64 handled fs,
/// u64 handled net, u64 scoped, i32 path count × (u64 rights, i32 length, UTF-8 path), i32 port count ×
/// (u64 rights, u16 port); the base filter and the filter: i32 count × 8-byte sock_filter; u32 extra
/// filter flags, u8 wants-listener).
/// Child → supervisor: one status message, below.
/// </summary>
internal static class LaunchProtocol
{
    /// <summary>The control socket's number in the child when no fds are preserved; see <see cref="ControlFdFor"/>.</summary>
    public const int ControlFdInChild = 3;
    public const string LaunchVerb = "__launch";
    private const uint Magic = 0x33504553; // "SEP3"
    public const int MaxPlanBytes = 1 << 20;

    /// <summary>Filter installed; the listener fd rides along with SCM_RIGHTS.</summary>
    public const byte Listener = (byte)'L';
    /// <summary>Filter installed, no listener asked for.</summary>
    public const byte Installed = (byte)'N';
    /// <summary>Set-up failed before execve (text follows); nothing was run.</summary>
    public const byte SetupFailed = (byte)'E';
    /// <summary>execve failed (i32 errno, then text).</summary>
    public const byte ExecFailed = (byte)'X';

    /// <summary>The control socket sits just above the fds passed through, so it never takes one's place.</summary>
    public static int ControlFdFor(int preservedFds) => ControlFdInChild + preservedFds;

    public static byte[] EncodePlan(in LaunchPlan plan)
    {
        var w = new PlanWriter();
        w.U32(Magic);
        w.I32(plan.PreservedFds);
        w.Bool(plan.KeepCapSysPtrace);
        var landlock = plan.Landlock;
        w.I32(landlock?.Abi ?? 0);
        if (landlock is { } l)
        {
            w.U64(l.HandledFs); w.U64(l.HandledNet); w.U64(l.Scoped);
            w.I32(l.Paths.Count);
            foreach (var (path, rights) in l.Paths) { w.U64(rights); w.Text(path); }
            w.I32(l.Ports.Count);
            foreach (var (port, rights) in l.Ports) { w.U64(rights); w.U16(port); }
        }
        w.Filter(plan.BaseFilter);
        w.Filter(plan.Filter);
        w.U32(plan.ExtraFilterFlags);
        w.Bool(plan.WantsListener);
        return w.ToArray();
    }

    public static bool TryDecodePlan(ReadOnlySpan<byte> message, out LaunchPlan plan, out string error)
    {
        plan = default;
        var r = new PlanReader(message);
        if (message.Length < 4 || r.U32() != Magic)
        {
            error = "the control socket did not carry a launch plan (is this launcher the same version as its supervisor?)";
            return false;
        }
        var preserved = r.I32();
        var keepCap = r.Bool();
        LandlockRequest? landlock = null;
        var abi = r.I32();
        if (abi > 0)
        {
            ulong fs = r.U64(), net = r.U64(), scoped = r.U64();
            var paths = new (string, ulong)[Math.Clamp(r.I32(), 0, 4096)];
            for (int i = 0; i < paths.Length; i++) { var rights = r.U64(); paths[i] = (r.Text(), rights); }
            var ports = new (ushort, ulong)[Math.Clamp(r.I32(), 0, 65536)];
            for (int i = 0; i < ports.Length; i++) { var rights = r.U64(); ports[i] = (r.U16(), rights); }
            landlock = new LandlockRequest(abi, fs, net, scoped, paths, ports);
        }
        var baseFilter = r.Filter();
        var filter = r.Filter();
        var flags = r.U32();
        var wantsListener = r.Bool();
        if (r.Failed || !r.AtEnd || filter.Length == 0 || preserved < 0)
        {
            error = $"the launch plan is damaged ({message.Length} bytes; is this launcher the same version as its supervisor?)";
            return false;
        }
        plan = new LaunchPlan(preserved, keepCap, landlock, baseFilter, filter, flags, wantsListener);
        error = "";
        return true;
    }

    private sealed class PlanWriter
    {
        private readonly List<byte> _bytes = [];
        private readonly byte[] _scratch = new byte[8];
        public void U16(ushort v) { BinaryPrimitives.WriteUInt16LittleEndian(_scratch, v); _bytes.AddRange(_scratch.AsSpan(0, 2)); }
        public void U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(_scratch, v); _bytes.AddRange(_scratch.AsSpan(0, 4)); }
        public void I32(int v) => U32((uint)v);
        public void U64(ulong v) { BinaryPrimitives.WriteUInt64LittleEndian(_scratch, v); _bytes.AddRange(_scratch); }
        public void Bool(bool v) => _bytes.Add(v ? (byte)1 : (byte)0);
        public void Text(string v) { var b = Encoding.UTF8.GetBytes(v); I32(b.Length); _bytes.AddRange(b); }
        public void Filter(byte[] f) { I32(f.Length / 8); _bytes.AddRange(f); }
        public byte[] ToArray() => [.. _bytes];
    }

    /// <summary>Reads fields in order; a read past the end sets <see cref="Failed"/> and returns zeros.</summary>
    private ref struct PlanReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;
        public bool Failed { get; private set; }
        public readonly bool AtEnd => _at == _bytes.Length;

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || _at + count > _bytes.Length) { Failed = true; return new byte[Math.Max(0, Math.Min(count, 8))]; }
            var slice = _bytes.Slice(_at, count);
            _at += count;
            return slice;
        }

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public int I32() => (int)U32();
        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        public bool Bool() => Take(1)[0] != 0;
        public string Text() { var n = I32(); return Failed || n > 4096 ? "" : Encoding.UTF8.GetString(Take(n)); }
        public byte[] Filter() { var n = I32(); return Failed || n is < 0 or > 32768 ? [] : Take(n * 8).ToArray(); }
    }

    public static byte[] EncodeText(byte kind, string text)
    {
        var bytes = new byte[1 + Encoding.UTF8.GetByteCount(text)];
        bytes[0] = kind;
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(1));
        return bytes;
    }

    public static byte[] EncodeExecFailure(int errno, string text)
    {
        var bytes = new byte[5 + Encoding.UTF8.GetByteCount(text)];
        bytes[0] = ExecFailed;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), errno);
        Encoding.UTF8.GetBytes(text, bytes.AsSpan(5));
        return bytes;
    }

    public static string DecodeText(ReadOnlySpan<byte> message) =>
        message.Length == 0 ? "" : message[0] == ExecFailed && message.Length >= 5
            ? Encoding.UTF8.GetString(message[5..])
            : Encoding.UTF8.GetString(message[1..]);
}
