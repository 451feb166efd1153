using SeccompEbpf.Bpf.Helpers;

namespace SeccompEbpf.ProgramType;

/// <summary>Which user-memory reader the program was given (SEED §2: CAP_SYS_PTRACE decides).</summary>
public enum UserMemoryReader
{
    /// <summary>No user-memory reads (LSM refusal mode).</summary>
    None,
    /// <summary>Fails with -EPERM when the filtered process is not dumpable (loader without CAP_SYS_PTRACE).</summary>
    DumpableOnly,
    /// <summary>Reads any filtered process's memory (loader with CAP_SYS_PTRACE).</summary>
    Full,
}

/// <summary>
/// The helper set chosen once, at load time, from the loader's privileges, and baked into the
/// program ("consistent helper capability"): <see cref="Runtime"/> is what the engines call, and the
/// verifier checks calls against the same definitions' prototypes (<see cref="Helpers"/>). Per-call
/// checks remain only for what can change later (e.g. whether the filtered process is dumpable).
/// </summary>
public sealed record SeccompHelperSet(
    string Description,
    HelperTable Runtime,
    UserMemoryReader UserMemory,
    bool TracingHelpers,
    bool MapAccess)
{
    /// <summary>The prototypes the verifier checks calls against, by helper id.</summary>
    public IReadOnlyDictionary<int, HelperPrototype> Helpers { get; } = Runtime.All.ToDictionary(h => h.Id, h => h.Prototype);

    public static SeccompHelperSet ChooseFor(LoaderPrivileges p)
    {
        if (p.LsmRefusesExtended)
            return new SeccompHelperSet("none: the LSM refuses extended features (no helpers, no map access)",
                HelperTable.Empty, UserMemoryReader.None, TracingHelpers: false, MapAccess: false);
        bool tracing = p.IsPrivileged;
        var chosen = SeccompHelperCatalog.All.Where(h => h.Group != SeccompHelperGroup.Tracing || tracing).Select(h => h.For(p));
        var reader = p.CapSysPtrace ? UserMemoryReader.Full : UserMemoryReader.DumpableOnly;
        var description = $"base + seccomp helpers{(tracing ? " + tracing helpers" : "")}; probe_read_user: "
            + (reader == UserMemoryReader.Full ? "full (CAP_SYS_PTRACE)" : "dumpable processes only");
        return new SeccompHelperSet(description, new HelperTable(chosen), reader, tracing, MapAccess: true);
    }
}
