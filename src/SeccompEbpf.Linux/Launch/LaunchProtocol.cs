using System.Buffers.Binary;
using System.Text;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// The messages between the supervisor and its launcher child on the control socket
/// (AF_UNIX SOCK_SEQPACKET, so every message arrives whole).
/// Supervisor → child: the plan ("SEP1", u32 extra filter flags, u32 wants-listener, u32 count, count × 8-byte sock_filter).
/// Child → supervisor: one status message, below.
/// </summary>
internal static class LaunchProtocol
{
    public const int ControlFdInChild = 3;
    public const string LaunchVerb = "__launch";
    private const uint Magic = 0x31504553; // "SEP1"
    private const int HeaderBytes = 16;
    public const int MaxPlanBytes = HeaderBytes + 8 * 32768;

    /// <summary>Filter installed; the listener fd rides along with SCM_RIGHTS.</summary>
    public const byte Listener = (byte)'L';
    /// <summary>Filter installed, no listener asked for.</summary>
    public const byte Installed = (byte)'N';
    /// <summary>Set-up failed before execve (text follows); nothing was run.</summary>
    public const byte SetupFailed = (byte)'E';
    /// <summary>execve failed (i32 errno, then text).</summary>
    public const byte ExecFailed = (byte)'X';

    public static byte[] EncodePlan(ReadOnlySpan<byte> filter, uint extraFilterFlags, bool wantsListener)
    {
        var bytes = new byte[HeaderBytes + filter.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), extraFilterFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), wantsListener ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)(filter.Length / 8));
        filter.CopyTo(bytes.AsSpan(HeaderBytes));
        return bytes;
    }

    public static bool TryDecodePlan(ReadOnlySpan<byte> message, out uint extraFilterFlags, out bool wantsListener, out ReadOnlySpan<byte> filter, out string error)
    {
        extraFilterFlags = 0; wantsListener = false; filter = default;
        if (message.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(message) != Magic)
        {
            error = "the control socket did not carry a launch plan (is this launcher the same version as its supervisor?)";
            return false;
        }
        extraFilterFlags = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        wantsListener = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]) != 0;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(message[12..]);
        if (count == 0 || message.Length != HeaderBytes + 8L * count)
        {
            error = $"the launch plan announces {count} instructions but carries {(message.Length - HeaderBytes) / 8}";
            return false;
        }
        filter = message[HeaderBytes..];
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
