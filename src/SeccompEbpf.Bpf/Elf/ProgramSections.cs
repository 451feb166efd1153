namespace SeccompEbpf.Bpf.Elf;

/// <summary>What a program's ELF section name says it is (libbpf's SEC() conventions).</summary>
public enum ProgramSectionKind
{
    /// <summary>An executable section with a name we do not know; still loaded as a program.</summary>
    Unknown,
    Seccomp,
    SocketFilter,
    Xdp,
    SchedClassifier,
    SchedAction,
    Kprobe,
    Tracepoint,
    RawTracepoint,
    Tracing,
    Lsm,
    Cgroup,
    PerfEvent,
    Syscall,
}

/// <summary>Maps section names to <see cref="ProgramSectionKind"/>.</summary>
public static class ProgramSections
{
    private static readonly (string Prefix, ProgramSectionKind Kind)[] Table =
    [
        ("seccomp-sleepable", ProgramSectionKind.Seccomp),
        ("seccomp", ProgramSectionKind.Seccomp),
        ("socket", ProgramSectionKind.SocketFilter),
        ("xdp", ProgramSectionKind.Xdp),
        ("tc", ProgramSectionKind.SchedClassifier),
        ("classifier", ProgramSectionKind.SchedClassifier),
        ("action", ProgramSectionKind.SchedAction),
        ("kprobe/", ProgramSectionKind.Kprobe),
        ("kretprobe/", ProgramSectionKind.Kprobe),
        ("uprobe", ProgramSectionKind.Kprobe),
        ("uretprobe", ProgramSectionKind.Kprobe),
        ("ksyscall/", ProgramSectionKind.Kprobe),
        ("tracepoint/", ProgramSectionKind.Tracepoint),
        ("tp/", ProgramSectionKind.Tracepoint),
        ("raw_tracepoint/", ProgramSectionKind.RawTracepoint),
        ("raw_tp/", ProgramSectionKind.RawTracepoint),
        ("tp_btf/", ProgramSectionKind.Tracing),
        ("fentry/", ProgramSectionKind.Tracing),
        ("fexit/", ProgramSectionKind.Tracing),
        ("fmod_ret/", ProgramSectionKind.Tracing),
        ("iter/", ProgramSectionKind.Tracing),
        ("lsm/", ProgramSectionKind.Lsm),
        ("lsm.s/", ProgramSectionKind.Lsm),
        ("cgroup/", ProgramSectionKind.Cgroup),
        ("cgroup_skb/", ProgramSectionKind.Cgroup),
        ("cgroup_sock", ProgramSectionKind.Cgroup),
        ("perf_event", ProgramSectionKind.PerfEvent),
        ("syscall", ProgramSectionKind.Syscall),
    ];

    public static ProgramSectionKind Classify(string sectionName)
    {
        foreach (var (prefix, kind) in Table)
        {
            // A prefix ending in '/' needs the attach target after it; others match whole or before '/'.
            bool match = prefix.EndsWith('/')
                ? sectionName.StartsWith(prefix, StringComparison.Ordinal)
                : sectionName == prefix || sectionName.StartsWith(prefix + "/", StringComparison.Ordinal);
            if (match) return kind;
        }
        return ProgramSectionKind.Unknown;
    }

    /// <summary>Sleepable sections may call helpers that fault pages in (seccomp-sleepable, lsm.s/...).</summary>
    public static bool IsSleepable(string sectionName) =>
        sectionName == "seccomp-sleepable" || sectionName.StartsWith("seccomp-sleepable/", StringComparison.Ordinal)
        || sectionName.StartsWith("lsm.s/", StringComparison.Ordinal)
        || sectionName.Contains(".s/", StringComparison.Ordinal);
}
