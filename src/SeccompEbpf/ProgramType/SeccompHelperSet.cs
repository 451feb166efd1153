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
/// program ("consistent helper capability"). Per-call checks remain only for what can change
/// later (e.g. whether the filtered process is dumpable).
/// </summary>
public sealed record SeccompHelperSet(
    string Description,
    IReadOnlyDictionary<int, HelperPrototype> Helpers,
    UserMemoryReader UserMemory,
    bool TracingHelpers,
    bool MapAccess)
{
    public static SeccompHelperSet ChooseFor(LoaderPrivileges p)
    {
        if (p.LsmRefusesExtended)
            return new SeccompHelperSet("none: the LSM refuses extended features (no helpers, no map access)",
                new Dictionary<int, HelperPrototype>(), UserMemoryReader.None, TracingHelpers: false, MapAccess: false);
        var helpers = SeccompHelperCatalog.Base.Concat(SeccompHelperCatalog.Seccomp).ToDictionary(h => h.Id);
        bool tracing = p.IsPrivileged;
        if (tracing)
            foreach (var h in SeccompHelperCatalog.Tracing) helpers[h.Id] = h;
        var reader = p.CapSysPtrace ? UserMemoryReader.Full : UserMemoryReader.DumpableOnly;
        var description = $"base + seccomp helpers{(tracing ? " + tracing helpers" : "")}; probe_read_user: "
            + (reader == UserMemoryReader.Full ? "full (CAP_SYS_PTRACE)" : "dumpable processes only");
        return new SeccompHelperSet(description, helpers, reader, tracing, MapAccess: true);
    }
}
