using System.Runtime.InteropServices;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// A block of zeroed native memory that never moves, so the addresses programs hold stay valid.
/// Maps keep their values in slabs; each slab is one <see cref="MemoryRegion"/> the memory check knows.
/// </summary>
public sealed unsafe class NativeSlab : IDisposable
{
    private byte* _pointer;

    public NativeSlab(ulong length)
    {
        Length = length;
        // Allocate at least one byte so that an empty slab still has a unique, valid address.
        _pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), 64);
        NativeMemory.Clear(_pointer, (nuint)Math.Max(length, 1));
    }

    public byte* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(NativeSlab));
    public ulong Address => (ulong)_pointer;
    public ulong Length { get; }

    public Span<byte> Span => new(Pointer, checked((int)Length));

    public MemoryRegion Region(bool writable, MemoryRegionKind kind, string? name) =>
        new((ulong)Pointer, Length, writable, kind, name);

    public void Dispose()
    {
        if (_pointer != null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
        GC.SuppressFinalize(this);
    }

    ~NativeSlab()
    {
        if (_pointer != null) NativeMemory.AlignedFree(_pointer);
    }
}
