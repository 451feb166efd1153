using System.Buffers.Binary;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// Compares map keys by content. Also compares a <see cref="ReadOnlySpan{T}"/> with a stored key,
/// so a lookup from a program (a span over native memory) allocates nothing.
/// </summary>
public sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] key) => Hash(key);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    private static int Hash(ReadOnlySpan<byte> key)
    {
        // The common key sizes (a u32 or a u64: pids, syscall numbers, cookies) in one step.
        if (key.Length == 4) return HashCode.Combine(BinaryPrimitives.ReadUInt32LittleEndian(key));
        if (key.Length == 8) return HashCode.Combine(BinaryPrimitives.ReadUInt64LittleEndian(key));
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }
}
