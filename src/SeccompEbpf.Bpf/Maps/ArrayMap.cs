using System.Buffers.Binary;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// BPF_MAP_TYPE_ARRAY: u32 index → value, all values preallocated in one slab and zeroed.
/// Elements always exist: update with NOEXIST fails with -EEXIST, delete with -EINVAL.
/// Also backs global data (.data/.rodata/.bss) through <see cref="DirectValueAddress"/>.
/// </summary>
public sealed unsafe class ArrayMap : BpfMap
{
    private readonly NativeSlab _values;
    private readonly MemoryRegion[] _regions;

    public ArrayMap(MapSpec spec) : base(spec)
    {
        _values = new NativeSlab((ulong)ValueSlotSize * spec.MaxEntries);
        if (spec.InitialValue is { } initial)
            initial.AsSpan(0, Math.Min(initial.Length, (int)spec.ValueSize)).CopyTo(_values.Span);
        _regions = [_values.Region(!spec.ReadOnlyForProgram, MemoryRegionKind.MapValues, $"map '{spec.Name}' values")];
    }

    public override IReadOnlyList<MemoryRegion> Regions => _regions;

    public override ulong DirectValueAddress => _values.Address;

    public override ulong LookupForProgram(ReadOnlySpan<byte> key)
    {
        if (key.Length < 4) return 0;
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        return index < MaxEntries ? _values.Address + (ulong)index * ValueSlotSize : 0;
    }

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = MapUpdateFlags.Any)
    {
        if (!KeyFits(key) || !ValueFits(value) || MapUpdateFlags.Check(flags) != 0) return -LinuxErrno.EINVAL;
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= MaxEntries) return -LinuxErrno.E2BIG;
        if (flags == MapUpdateFlags.NoExist) return -LinuxErrno.EEXIST;
        value.CopyTo(new Span<byte>((void*)(_values.Address + (ulong)index * ValueSlotSize), (int)ValueSize));
        return 0;
    }

    public override long Delete(ReadOnlySpan<byte> key) => -LinuxErrno.EINVAL;

    public override IReadOnlyList<byte[]> GetKeys()
    {
        var keys = new byte[MaxEntries][];
        for (uint i = 0; i < MaxEntries; i++) keys[i] = BitConverter.GetBytes(i);
        return keys;
    }

    public override int Count => (int)MaxEntries;

    /// <summary>The value of element <paramref name="index"/> in place (controlling side).</summary>
    public Span<byte> ValueAt(uint index) => index < MaxEntries
        ? new Span<byte>((void*)(_values.Address + (ulong)index * ValueSlotSize), (int)ValueSize)
        : throw new ArgumentOutOfRangeException(nameof(index), $"array '{Name}' has {MaxEntries} elements");

    protected override void Dispose(bool disposing) => _values.Dispose();
}
