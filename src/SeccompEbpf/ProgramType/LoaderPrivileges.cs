using SeccompEbpf.Model;
using SeccompEbpf.Model.Helpers;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// The loader of a seccomp program, as the program type cares (SEED §2): its capabilities, whether the
/// LSM hook (seccomp_extended) refuses the extended features, the seccomp_ebpf_priv_only sysctl (0:
/// anyone may load; 1 and 2: CAP_BPF and CAP_PERFMON required, 1 locked until reboot, 2 resettable by
/// an admin), and the namespaces recorded in the program at load time. The helper set is chosen from
/// it once (<see cref="SeccompHelperSet.ChooseFor"/>), and the verifier's limits follow it.
/// </summary>
public sealed record LoaderPrivileges(
    bool CapBpf = false,
    bool CapPerfmon = false,
    bool CapSysPtrace = false,
    bool LsmRefusesExtended = false,
    int PrivOnlySysctl = 0)
{
    /// <summary>Only a caller in this user namespace may attach the program.</summary>
    public UserNamespaceId UserNamespace { get; init; } = UserNamespaceId.Initial;

    /// <summary>get_current_pid_tgid reports pids as seen from this namespace.</summary>
    public PidNamespaceId PidNamespace { get; init; } = PidNamespaceId.Initial;

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

    /// <summary>This process as a loader: root has every capability the choice looks at, anyone else none.</summary>
    public static LoaderPrivileges OfThisProcess() => Environment.IsPrivilegedProcess ? Privileged : Unprivileged;

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
