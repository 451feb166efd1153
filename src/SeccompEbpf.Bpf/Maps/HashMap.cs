using System.Collections.Concurrent;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_LRU_HASH. Values live in one preallocated slab (as the
/// kernel's default preallocated hash map), so a lookup returns a stable address. Lookups are
/// lock-free and allocation-free; updates and deletes take a lock, which makes the
/// NOEXIST/EXIST checks atomic. An update of an existing key writes a fresh slot and then swaps
/// it in, so concurrent readers see the old or the new value, never a torn one (a reader holding
/// the old address may see it reused later, as with the kernel's preallocated maps).
/// When full, a plain hash map refuses new keys with -E2BIG; an LRU map evicts the element
/// used least recently.
/// </summary>
public sealed unsafe class HashMap : BpfMap
{
    private readonly NativeSlab _slab;
    private readonly MemoryRegion[] _regions;
    private readonly ConcurrentDictionary<byte[], int> _index;
    private readonly ConcurrentDictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly byte[]?[] _keyOfSlot;
    private readonly long[]? _lastUsed;
    private readonly Stack<int> _freeSlots;
    private readonly Lock _writeLock = new();
    private long _useClock;

    public HashMap(MapSpec spec) : base(spec)
    {
        IsLru = spec.Type is MapType.LruHash;
        // One spare slot: replacing a key in a full map writes the new value before freeing the old one.
        int slots = checked((int)spec.MaxEntries + 1);
        _slab = new NativeSlab((ulong)ValueSlotSize * (ulong)slots);
        _regions = [_slab.Region(true, MemoryRegionKind.MapValues, $"map '{spec.Name}' values")];
        _index = new ConcurrentDictionary<byte[], int>(ByteKeyComparer.Instance);
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<byte>>();
        _keyOfSlot = new byte[]?[slots];
        _lastUsed = IsLru ? new long[slots] : null;
        _freeSlots = new Stack<int>(Enumerable.Range(0, slots).Reverse());
    }

    public bool IsLru { get; }

    public override IReadOnlyList<MemoryRegion> Regions => _regions;

    private ulong SlotAddress(int slot) => _slab.Address + (ulong)slot * ValueSlotSize;

    public override ulong LookupForProgram(ReadOnlySpan<byte> key)
    {
        if (!_lookup.TryGetValue(key, out int slot)) return 0;
        // Approximate recency is enough for LRU (the kernel's LRU is approximate too); no lock on the read path.
        if (_lastUsed is not null) _lastUsed[slot] = ++_useClock;
        return SlotAddress(slot);
    }

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = MapUpdateFlags.Any)
    {
        if (!KeyFits(key) || !ValueFits(value) || MapUpdateFlags.Check(flags) != 0) return -LinuxErrno.EINVAL;
        lock (_writeLock)
        {
            bool exists = _lookup.TryGetValue(key, out int oldSlot);
            if (exists && flags == MapUpdateFlags.NoExist) return -LinuxErrno.EEXIST;
            if (!exists && flags == MapUpdateFlags.Exist) return -LinuxErrno.ENOENT;
            if (!exists && _index.Count >= MaxEntries)
            {
                if (!IsLru) return -LinuxErrno.E2BIG;
                EvictLeastRecentlyUsed();
            }
            int slot = _freeSlots.Pop();
            value.CopyTo(new Span<byte>((void*)SlotAddress(slot), (int)ValueSize));
            byte[] storedKey = exists ? _keyOfSlot[oldSlot]! : key.ToArray();
            _keyOfSlot[slot] = storedKey;
            if (_lastUsed is not null) _lastUsed[slot] = ++_useClock;
            _index[storedKey] = slot;
            if (exists) Release(oldSlot);
            return 0;
        }
    }

    public override long Delete(ReadOnlySpan<byte> key)
    {
        lock (_writeLock)
        {
            if (!_lookup.TryRemove(key, out _, out int slot)) return -LinuxErrno.ENOENT;
            Release(slot);
            return 0;
        }
    }

    private void Release(int slot)
    {
        _keyOfSlot[slot] = null;
        _freeSlots.Push(slot);
    }

    private void EvictLeastRecentlyUsed()
    {
        int victim = -1;
        long oldest = long.MaxValue;
        for (int slot = 0; slot < _keyOfSlot.Length; slot++)
        {
            if (_keyOfSlot[slot] is not null && _lastUsed![slot] < oldest)
            {
                oldest = _lastUsed[slot];
                victim = slot;
            }
        }
        if (victim < 0) return;
        _index.TryRemove(_keyOfSlot[victim]!, out _);
        Release(victim);
    }

    public override IReadOnlyList<byte[]> GetKeys() => _index.Keys.Select(k => (byte[])k.Clone()).ToArray();

    public override int Count => _index.Count;

    protected override void Dispose(bool disposing) => _slab.Dispose();
}
