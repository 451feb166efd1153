namespace SeccompEbpf.Bpf.Maps;

/// <summary>The flags of map_update_elem, as in the kernel's uapi.</summary>
public static class MapUpdateFlags
{
    /// <summary>Create a new element or update an existing one.</summary>
    public const ulong Any = 0;
    /// <summary>Create only: fails with -EEXIST if the key exists.</summary>
    public const ulong NoExist = 1;
    /// <summary>Update only: fails with -ENOENT if the key does not exist.</summary>
    public const ulong Exist = 2;
    /// <summary>Spin-lock flag; accepted by the kernel for maps with a bpf_spin_lock, not supported here.</summary>
    public const ulong Lock = 4;

    /// <summary>Validates the flags of an update; returns 0 or -EINVAL.</summary>
    public static long Check(ulong flags) => flags <= Exist ? 0 : -LinuxErrno.EINVAL;
}
