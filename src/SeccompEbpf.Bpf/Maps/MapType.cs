namespace SeccompEbpf.Bpf.Maps;

/// <summary>Map types, numbered as the kernel's <c>enum bpf_map_type</c> so that ELF objects load unchanged.</summary>
public enum MapType : uint
{
    Unspec = 0,
    Hash = 1,
    Array = 2,
    ProgArray = 3,
    PerfEventArray = 4,
    PercpuHash = 5,
    PercpuArray = 6,
    StackTrace = 7,
    CgroupArray = 8,
    LruHash = 9,
    LruPercpuHash = 10,
    LpmTrie = 11,
    ArrayOfMaps = 12,
    HashOfMaps = 13,
    Queue = 22,
    Stack = 23,
    RingBuf = 27,
    InodeStorage = 28,
    /// <summary>Per-task storage; here keyed by process (the analogue the seccomp proposal uses).</summary>
    TaskStorage = 29,
    BloomFilter = 30,
}
