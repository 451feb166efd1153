using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// A live map. Two faces:
/// <list type="bullet">
/// <item>the program side (helpers): <see cref="LookupForProgram"/> returns a stable native pointer
/// into the map's value slabs (0 when absent), updates and deletes return 0 or a negated errno;</item>
/// <item>the controlling side (C#): <see cref="TryLookup"/> copies a value out, <see cref="Update"/>,
/// <see cref="Delete"/>, <see cref="GetKeys"/>.</item>
/// </list>
/// Operations a map type does not support return -EINVAL, as the kernel does.
/// </summary>
public abstract class BpfMap : IDisposable
{
    protected BpfMap(MapSpec spec)
    {
        Spec = spec;
        // The kernel rounds value slots up to 8 bytes so that every value is 8-byte aligned.
        ValueSlotSize = (spec.ValueSize + 7) & ~7u;
    }

    public MapSpec Spec { get; }
    public string Name => Spec.Name;
    public MapType Type => Spec.Type;
    public uint KeySize => Spec.KeySize;
    public uint ValueSize => Spec.ValueSize;
    public uint MaxEntries => Spec.MaxEntries;

    /// <summary>Distance between consecutive values in a slab.</summary>
    public uint ValueSlotSize { get; }

    /// <summary>The native memory programs may reach through this map (value slabs, ring data).</summary>
    public abstract IReadOnlyList<MemoryRegion> Regions { get; }

    // ---- program side ----

    /// <summary>
    /// Address of the first value, for maps whose value a program may address directly
    /// (lddw src=MapValue/MapIdxValue: array maps, global data); 0 for other types.
    /// </summary>
    public virtual ulong DirectValueAddress => 0;

    /// <summary>Address of the value for <paramref name="key"/>, or 0. The address stays valid while the map lives.</summary>
    public virtual ulong LookupForProgram(ReadOnlySpan<byte> key) => 0;

    /// <summary>Creates or replaces an element; 0 or -EEXIST/-ENOENT/-E2BIG/-EINVAL/-ENOMEM.</summary>
    public virtual long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = MapUpdateFlags.Any) => -LinuxErrno.EINVAL;

    /// <summary>Deletes an element; 0, -ENOENT, or -EINVAL where the type cannot delete.</summary>
    public virtual long Delete(ReadOnlySpan<byte> key) => -LinuxErrno.EINVAL;

    /// <summary>Queue/stack push (map_push_elem); flags may be BPF_EXIST to overwrite the oldest when full.</summary>
    public virtual long Push(ReadOnlySpan<byte> value, ulong flags) => -LinuxErrno.EINVAL;

    /// <summary>Queue/stack pop (map_pop_elem) into <paramref name="value"/>; -ENOENT when empty.</summary>
    public virtual long Pop(Span<byte> value) => -LinuxErrno.EINVAL;

    /// <summary>Queue/stack peek (map_peek_elem) into <paramref name="value"/>; -ENOENT when empty.</summary>
    public virtual long Peek(Span<byte> value) => -LinuxErrno.EINVAL;

    // ---- controlling side ----

    /// <summary>Copies the value for <paramref name="key"/> into <paramref name="value"/> (at least ValueSize bytes).</summary>
    public virtual unsafe bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        ulong address = LookupForProgram(key);
        if (address == 0) return false;
        new ReadOnlySpan<byte>((void*)address, (int)ValueSize).CopyTo(value);
        return true;
    }

    /// <summary>A snapshot of the keys present (for listing and iteration).</summary>
    public virtual IReadOnlyList<byte[]> GetKeys() => [];

    /// <summary>Number of elements present.</summary>
    public virtual int Count => GetKeys().Count;

    /// <summary>Checks the key length of a controlling-side call; the program side always passes KeySize bytes.</summary>
    protected bool KeyFits(ReadOnlySpan<byte> key) => key.Length == KeySize;

    protected bool ValueFits(ReadOnlySpan<byte> value) => value.Length == ValueSize;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    public override string ToString() => Spec.ToString();
}
