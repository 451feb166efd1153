using SeccompEbpf.Bpf.Helpers;

namespace SeccompEbpf.ProgramType;

/// <summary>Who is given a helper at load time (SEED §2).</summary>
public enum SeccompHelperGroup
{
    /// <summary>The base set every program type gets.</summary>
    Base,
    /// <summary>The seccomp helpers: ids, user memory, per-process storage.</summary>
    Seccomp,
    /// <summary>Only for loaders with CAP_BPF and CAP_PERFMON.</summary>
    Tracing,
}

/// <summary>
/// One helper of the seccomp program type: its group, and what the engines run for a given loader
/// (a helper may depend on the loader: the pid namespace it reports in, whether it reads only dumpable
/// processes). The prototype the verifier checks calls against is the implementation's own, so the
/// two cannot drift apart.
/// </summary>
public sealed class SeccompHelper
{
    private readonly Func<LoaderPrivileges, HelperDefinition> _build;

    public SeccompHelper(SeccompHelperGroup group, Func<LoaderPrivileges, HelperDefinition> build)
    {
        Group = group;
        _build = build;
        Prototype = build(LoaderPrivileges.Unprivileged).Prototype;
    }

    /// <summary>A helper that is the same for every loader (the base set's map, time and ring-buffer helpers).</summary>
    public SeccompHelper(SeccompHelperGroup group, HelperDefinition definition) : this(group, _ => definition) { }

    public SeccompHelperGroup Group { get; }
    public HelperPrototype Prototype { get; }
    public int Id => Prototype.Id;
    public string Name => Prototype.Name;

    /// <summary>What a program loaded by <paramref name="loader"/> runs when it calls this helper.</summary>
    public HelperDefinition For(LoaderPrivileges loader) => _build(loader);

    public override string ToString() => $"{Prototype} ({Group})";
}
