namespace SeccompEbpf.Model;

/// <summary>SECCOMP_FILTER_FLAG_* values for seccomp(SECCOMP_SET_MODE_FILTER, flags, ...).</summary>
public static class SeccompFilterFlags
{
    public const uint Tsync = 1u << 0;
    public const uint Log = 1u << 1;
    public const uint SpecAllow = 1u << 2;
    public const uint NewListener = 1u << 3;
    /// <summary>Needed with TSYNC + NEW_LISTENER: a TSYNC failure then reports ESRCH instead of a thread id.</summary>
    public const uint TsyncEsrch = 1u << 4;
    /// <summary>Upstream meaning of bit 5.</summary>
    public const uint WaitKillableRecv = 1u << 5;
    /// <summary>The proposal's meaning of bit 5 (the same bit).</summary>
    public const uint Extended = 1u << 5;

    /// <summary>All flags the kernel of <paramref name="flavor"/> knows.</summary>
    public static uint Known(KernelFlavor flavor) => Tsync | Log | SpecAllow | NewListener | TsyncEsrch | (1u << 5);

    public static string Describe(uint flags, KernelFlavor flavor)
    {
        var names = new List<string>();
        if ((flags & Tsync) != 0) names.Add("TSYNC");
        if ((flags & Log) != 0) names.Add("LOG");
        if ((flags & SpecAllow) != 0) names.Add("SPEC_ALLOW");
        if ((flags & NewListener) != 0) names.Add("NEW_LISTENER");
        if ((flags & TsyncEsrch) != 0) names.Add("TSYNC_ESRCH");
        if ((flags & (1u << 5)) != 0) names.Add(flavor == KernelFlavor.Proposal ? "EXTENDED" : "WAIT_KILLABLE_RECV");
        uint unknown = flags & ~Known(flavor);
        if (unknown != 0) names.Add($"0x{unknown:x}");
        return names.Count == 0 ? "0" : string.Join("|", names);
    }
}
