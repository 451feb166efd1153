namespace SeccompEbpf.Bpf.Maps;

/// <summary>Turns a <see cref="MapSpec"/> (from an ELF object or written by hand) into a live map, checking its shape as the kernel does.</summary>
public static class MapFactory
{
    /// <summary>Upper bound on the memory one map may preallocate, so a hostile object cannot exhaust the host.</summary>
    public const ulong MaxMapBytes = 1UL << 30;

    public static BpfResult<BpfMap> Create(MapSpec spec)
    {
        if (CheckShape(spec) is { } problem)
            return new BpfError($"map '{spec.Name}' ({spec.Type}): {problem}");
        try
        {
            return spec.Type switch
            {
                MapType.Array => new ArrayMap(spec),
                MapType.Hash or MapType.LruHash => new HashMap(spec),
                MapType.ProgArray => new ProgramArrayMap(spec),
                MapType.RingBuf => new RingBufferMap(spec),
                MapType.TaskStorage => new ProcessStorageMap(spec),
                MapType.Queue or MapType.Stack => new QueueStackMap(spec),
                _ => new BpfError($"map '{spec.Name}': type {spec.Type} is not supported (supported: array, hash, lru_hash, prog_array, ringbuf, task_storage, queue, stack)"),
            };
        }
        catch (OutOfMemoryException)
        {
            return new BpfError($"map '{spec.Name}': not enough memory for {spec.MaxEntries} entries of {spec.ValueSize} bytes");
        }
    }

    private static string? CheckShape(MapSpec spec)
    {
        switch (spec.Type)
        {
            case MapType.Array:
            case MapType.ProgArray:
                if (spec.KeySize != 4) return $"key size must be 4, got {spec.KeySize}";
                if (spec.Type == MapType.ProgArray && spec.ValueSize != 4) return $"value size must be 4 (a program fd), got {spec.ValueSize}";
                break;
            case MapType.Hash or MapType.LruHash:
                if (spec.KeySize == 0 || spec.KeySize > 512) return $"key size must be 1..512, got {spec.KeySize}";
                break;
            case MapType.RingBuf:
                if (spec.KeySize != 0 || spec.ValueSize != 0) return "key and value size must be 0";
                if (spec.MaxEntries < 4096 || (spec.MaxEntries & (spec.MaxEntries - 1)) != 0)
                    return $"max_entries (the buffer size) must be a power of 2 and at least 4096, got {spec.MaxEntries}";
                return spec.MaxEntries > MaxMapBytes ? $"buffer of {spec.MaxEntries} bytes is larger than the limit of {MaxMapBytes}" : null;
            case MapType.TaskStorage:
                if (spec.KeySize != 4) return $"key size must be 4 (a pid), got {spec.KeySize}";
                if (spec.ValueSize == 0) return "value size must be at least 1";
                return null; // max_entries is 0 for local storage; capacity is ProcessStorageMap.DefaultCapacity then.
            case MapType.Queue or MapType.Stack:
                if (spec.KeySize != 0) return $"key size must be 0, got {spec.KeySize}";
                break;
        }
        if (spec.ValueSize == 0) return "value size must be at least 1";
        if (spec.MaxEntries == 0) return "max_entries must be at least 1";
        ulong bytes = (ulong)((spec.ValueSize + 7) & ~7u) * spec.MaxEntries;
        if (bytes > MaxMapBytes) return $"{spec.MaxEntries} entries of {spec.ValueSize} bytes exceed the limit of {MaxMapBytes} bytes";
        return null;
    }
}
