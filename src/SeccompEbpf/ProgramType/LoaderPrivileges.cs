namespace SeccompEbpf.ProgramType;

/// <summary>
/// What the loading process may do, as far as the seccomp program type cares: its capabilities,
/// whether the LSM hook (seccomp_extended) refuses the extended features, and the
/// seccomp_ebpf_priv_only sysctl (0: anyone may load; 1 and 2: CAP_BPF and CAP_PERFMON required,
/// 1 locked until reboot, 2 resettable by an admin).
/// </summary>
public sealed record LoaderPrivileges(
    bool CapBpf = false,
    bool CapPerfmon = false,
    bool CapSysPtrace = false,
    bool LsmRefusesExtended = false,
    int PrivOnlySysctl = 0)
{
    public static readonly LoaderPrivileges Unprivileged = new();
    public static readonly LoaderPrivileges Ptrace = new(CapSysPtrace: true);
    public static readonly LoaderPrivileges Tracing = new(CapBpf: true, CapPerfmon: true);
    public static readonly LoaderPrivileges Privileged = new(CapBpf: true, CapPerfmon: true, CapSysPtrace: true);
    public static readonly LoaderPrivileges LsmRefused = new(LsmRefusesExtended: true);

    /// <summary>The names accepted by <c>--as</c>.</summary>
    public static readonly IReadOnlyDictionary<string, LoaderPrivileges> Presets = new Dictionary<string, LoaderPrivileges>
    {
        ["unprivileged"] = Unprivileged,
        ["ptrace"] = Ptrace,
        ["tracing"] = Tracing,
        ["privileged"] = Privileged,
        ["lsm-refused"] = LsmRefused,
    };

    /// <summary>CAP_BPF and CAP_PERFMON together: tracing helpers, loops, pointer leaks, 1M instructions.</summary>
    public bool IsPrivileged => CapBpf && CapPerfmon;

    public override string ToString()
    {
        var caps = new List<string>();
        if (CapBpf) caps.Add("CAP_BPF");
        if (CapPerfmon) caps.Add("CAP_PERFMON");
        if (CapSysPtrace) caps.Add("CAP_SYS_PTRACE");
        var text = caps.Count == 0 ? "no capabilities" : string.Join("+", caps);
        if (LsmRefusesExtended) text += ", LSM refuses extended features";
        if (PrivOnlySysctl != 0) text += $", seccomp_ebpf_priv_only={PrivOnlySysctl}";
        return text;
    }
}
