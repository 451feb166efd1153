using System.Buffers.Binary;
using System.Text;

namespace SeccompEbpf.Linux.Launch;

/// <summary>What the launcher child applies before execve, in the order it applies them.</summary>
internal readonly record struct LaunchPlan(
    int PreservedFds, bool KeepCapSysPtrace, int LandlockAbi,
    byte[] BaseFilter, byte[] Filter, uint ExtraFilterFlags, bool WantsListener);

/// <summary>
/// The messages between the supervisor and its launcher child on the control socket
/// (AF_UNIX SOCK_SEQPACKET, so every message arrives whole).
/// Supervisor → child: the plan ("SEP2", then u32 fields: extra filter flags, wants-listener,
/// preserved fds, keep-CAP_SYS_PTRACE, Landlock ABI, base filter count, filter count; then the base
/// filter's and the filter's 8-byte sock_filter entries).
/// Child → supervisor: one status message, below.
/// </summary>
internal static class LaunchProtocol
{
    /// <summary>The control socket's number in the child when no fds are preserved; see <see cref="ControlFdFor"/>.</summary>
    public const int ControlFdInChild = 3;
    public const string LaunchVerb = "__launch";
    private const uint Magic = 0x32504553; // "SEP2"
    private const int HeaderBytes = 32;
    public const int MaxPlanBytes = HeaderBytes + 2 * 8 * 32768;

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
        var bytes = new byte[HeaderBytes + plan.BaseFilter.Length + plan.Filter.Length];
        var header = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], plan.ExtraFilterFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], plan.WantsListener ? 1u : 0u);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], plan.PreservedFds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], plan.KeepCapSysPtrace ? 1u : 0u);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], plan.LandlockAbi);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)(plan.BaseFilter.Length / 8));
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(plan.Filter.Length / 8));
        plan.BaseFilter.CopyTo(bytes, HeaderBytes);
        plan.Filter.CopyTo(bytes, HeaderBytes + plan.BaseFilter.Length);
        return bytes;
    }

    public static bool TryDecodePlan(ReadOnlySpan<byte> message, out LaunchPlan plan, out string error)
    {
        plan = default;
        if (message.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(message) != Magic)
        {
            error = "the control socket did not carry a launch plan (is this launcher the same version as its supervisor?)";
            return false;
        }
        var baseCount = BinaryPrimitives.ReadUInt32LittleEndian(message[24..]);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(message[28..]);
        var preserved = BinaryPrimitives.ReadInt32LittleEndian(message[12..]);
        if (count == 0 || message.Length != HeaderBytes + 8L * (baseCount + count) || preserved < 0)
        {
            error = $"the launch plan announces {baseCount} + {count} instructions but carries {(message.Length - HeaderBytes) / 8}";
            return false;
        }
        var baseBytes = (int)baseCount * 8;
        plan = new LaunchPlan(
            preserved,
            BinaryPrimitives.ReadUInt32LittleEndian(message[16..]) != 0,
            BinaryPrimitives.ReadInt32LittleEndian(message[20..]),
            message.Slice(HeaderBytes, baseBytes).ToArray(),
            message[(HeaderBytes + baseBytes)..].ToArray(),
            BinaryPrimitives.ReadUInt32LittleEndian(message[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(message[8..]) != 0);
        error = "";
        return true;
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
