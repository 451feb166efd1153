using System.Buffers.Binary;

namespace SeccompEbpf.Model;

/// <summary>
/// The kernel's <c>struct seccomp_data</c>: what every filter sees. 64 bytes, little-endian here:
/// nr (s32 @0), arch (u32 @4), instruction_pointer (u64 @8), args[6] (u64 @16..56).
/// </summary>
public readonly record struct SeccompData(int Nr, uint Arch, ulong InstructionPointer, SeccompArgs Args)
{
    public const int Size = 64;
    public const int NrOffset = 0;
    public const int ArchOffset = 4;
    public const int InstructionPointerOffset = 8;
    public const int ArgsOffset = 16;

    public static int ArgOffset(int index) => ArgsOffset + 8 * index;

    // On the supervisor's hot path (every notification): optimised at once, not after a tier-0 phase.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void WriteTo(Span<byte> buffer)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Nr);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], Arch);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], InstructionPointer);
        for (int i = 0; i < 6; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[ArgOffset(i)..], Args[i]);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    public static SeccompData Read(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < Size) throw new ArgumentException($"seccomp_data is {Size} bytes, got {buffer.Length}");
        var args = new SeccompArgs();
        for (int i = 0; i < 6; i++)
            args[i] = BinaryPrimitives.ReadUInt64LittleEndian(buffer[ArgOffset(i)..]);
        return new SeccompData(
            BinaryPrimitives.ReadInt32LittleEndian(buffer),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]),
            args);
    }

    public static SeccompData For(int nr, uint arch, params ulong[] args)
    {
        var a = new SeccompArgs();
        for (int i = 0; i < args.Length && i < 6; i++) a[i] = args[i];
        return new SeccompData(nr, arch, 0, a);
    }
}

/// <summary>The six 64-bit system-call arguments, inline (no allocation on the hot path).</summary>
[System.Runtime.CompilerServices.InlineArray(6)]
public struct SeccompArgs : IEquatable<SeccompArgs>
{
    private ulong _first;

    public bool Equals(SeccompArgs other) => ((ReadOnlySpan<ulong>)this).SequenceEqual(other);
    public override bool Equals(object? obj) => obj is SeccompArgs other && Equals(other);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var a in this) h.Add(a);
        return h.ToHashCode();
    }
    public override string ToString() => string.Join(", ", ((ReadOnlySpan<ulong>)this).ToArray().Select(a => $"0x{a:x}"));
}
