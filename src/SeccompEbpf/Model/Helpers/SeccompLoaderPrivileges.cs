namespace SeccompEbpf.Model.Helpers;

/// <summary>
/// The loader's privileges and namespaces, recorded when a seccomp program is loaded; the helper
/// set is chosen from them once ("consistent helper capability").
/// </summary>
public sealed record SeccompLoaderPrivileges(
    bool CapSysPtrace,
    bool CapBpf,
    bool CapPerfmon,
    UserNamespaceId UserNamespace,
    PidNamespaceId PidNamespace,
    bool LsmAllowsExtended = true)
{
    public static SeccompLoaderPrivileges Unprivileged { get; } = new(false, false, false, UserNamespaceId.Initial, PidNamespaceId.Initial);
    public static SeccompLoaderPrivileges Root { get; } = new(true, true, true, UserNamespaceId.Initial, PidNamespaceId.Initial);
}
