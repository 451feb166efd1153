using System.Buffers.Binary;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// Per-process storage, the analogue of BPF_MAP_TYPE_TASK_STORAGE: one value per process, keyed by
/// the identity the environment gives (<see cref="IProcessEnvironment.CurrentProcessKey"/>).
/// Programs reach it through task_storage_get/delete with a NULL task meaning "the current
/// process"; the controlling side uses the process key (a pid) as a 4-byte key. Values live in a
/// preallocated slab, so pointers handed to programs stay valid.
/// </summary>
public sealed class ProcessStorageMap : BpfMap
{
    /// <summary>Processes tracked when the spec's max_entries is 0 (as local storage maps declare it).</summary>
    public const uint DefaultCapacity = 4096;

    private readonly HashMap _values;

    public ProcessStorageMap(MapSpec spec) : base(spec)
    {
        uint capacity = spec.MaxEntries == 0 ? DefaultCapacity : spec.MaxEntries;
        _values = new HashMap(new MapSpec(spec.Name, MapType.Hash, 8, spec.ValueSize, capacity));
    }

    public override IReadOnlyList<MemoryRegion> Regions => _values.Regions;

    /// <summary>Processes this map can hold at once.</summary>
    public uint Capacity => _values.MaxEntries;

    /// <summary>
    /// The value of process <paramref name="processKey"/>; when absent and <paramref name="create"/> is
    /// set, creates it from <paramref name="initialValue"/> (or zeros). Returns its address or 0.
    /// </summary>
    public ulong GetOrCreate(ulong processKey, bool create, ReadOnlySpan<byte> initialValue)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(key, processKey);
        ulong address = _values.LookupForProgram(key);
        if (address != 0 || !create) return address;
        // NOEXIST: if another thread created it meanwhile, keep theirs and return it.
        _values.Update(key, initialValue.IsEmpty ? new byte[ValueSize] : initialValue, MapUpdateFlags.NoExist);
        return _values.LookupForProgram(key);
    }

    public long Remove(ulong processKey)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(key, processKey);
        return _values.Delete(key);
    }

    // Controlling side: the key is a 4-byte pid.
    public override bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value) =>
        KeyFits(key) && _values.TryLookup(Widen(key), value);

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = MapUpdateFlags.Any) =>
        KeyFits(key) ? _values.Update(Widen(key), value, flags) : -LinuxErrno.EINVAL;

    public override long Delete(ReadOnlySpan<byte> key) =>
        KeyFits(key) ? _values.Delete(Widen(key)) : -LinuxErrno.EINVAL;

    public override IReadOnlyList<byte[]> GetKeys() =>
        _values.GetKeys().Select(k => BitConverter.GetBytes((uint)BinaryPrimitives.ReadUInt64LittleEndian(k))).ToArray();

    public override int Count => _values.Count;

    private static byte[] Widen(ReadOnlySpan<byte> pidKey) => BitConverter.GetBytes((ulong)BinaryPrimitives.ReadUInt32LittleEndian(pidKey));

    protected override void Dispose(bool disposing) => _values.Dispose();
}
