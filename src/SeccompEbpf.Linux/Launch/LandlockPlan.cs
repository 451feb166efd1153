using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Policy.Access;
using static SeccompEbpf.Linux.Interop.Landlock;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// Turns the sandbox's needs (a domain of its own, signals scoped where the kernel can) and a plan's
/// static access rules into the Landlock ruleset the launcher applies, for the running kernel's ABI:
/// rights the kernel does not know are left out with a warning that says what stays unrestricted;
/// a kind of rule the kernel cannot enforce at all is an error (fail closed).
/// </summary>
internal static class LandlockPlan
{
    private const ulong ReadRights = FsReadFile | FsReadDir;
    private const ulong WriteRightsAbi1 = FsWriteFile | FsRemoveDir | FsRemoveFile | FsMakeChar | FsMakeDir
        | FsMakeReg | FsMakeSock | FsMakeFifo | FsMakeBlock | FsMakeSym;

    /// <returns>The request, or null when the kernel has no Landlock and nothing needs it.</returns>
    public static LandlockRequest? For(int abi, AccessRules rules, List<string> warnings, out string? error)
    {
        error = null;
        if (abi == 0)
        {
            if (!rules.IsEmpty) error = $"this kernel has no Landlock, so the access rules ({Describe(rules)}) cannot be enforced; remove them or use a kernel with Landlock (5.13+)";
            return null;
        }
        if (rules.RestrictsTcp && abi < NetworkAbi)
        {
            error = $"this kernel's Landlock (ABI {abi}) cannot restrict TCP ports (needs ABI 4, Linux 6.7); remove the TCP rules";
            return null;
        }

        var writeRights = WriteRightsAbi1 | (abi >= ReferAbi ? FsRefer : 0) | (abi >= TruncateAbi ? FsTruncate : 0);
        var scoped = abi >= SignalScopingAbi ? ScopeSignal : 0;
        var paths = new List<(string, ulong)>();
        ulong handledFs = 0;
        if (rules.RestrictsFiles)
        {
            handledFs = FsExecute | ReadRights | writeRights;
            if (abi < TruncateAbi) warnings.Add($"this kernel's Landlock (ABI {abi}) cannot restrict truncate(2): files the rules make readable can still be truncated where the user may write them");
            if (abi < ReferAbi) warnings.Add($"this kernel's Landlock (ABI {abi}) refuses every rename or link into another directory, even where the rules allow writing");
            foreach (var rule in rules.Paths)
                paths.Add((rule.Path, RightsFor(rule.Access, writeRights)));
        }
        var ports = rules.Ports.Select(p => (p.Port, p.Access == TcpAccess.Bind ? NetBindTcp : NetConnectTcp)).ToList();
        var handledNet = rules.RestrictsTcp ? NetBindTcp | NetConnectTcp : 0;
        if (handledFs == 0 && handledNet == 0 && scoped == 0)
        {
            // A domain must handle something: MAKE_BLOCK, granted beneath "/", changes no access.
            handledFs = FsMakeBlock;
            paths.Add(("/", FsMakeBlock));
        }
        return new LandlockRequest(abi, handledFs, handledNet, scoped, paths, ports);
    }

    private static ulong RightsFor(PathAccess access, ulong writeRights) =>
        (access.HasFlag(PathAccess.Read) ? ReadRights : 0)
        | (access.HasFlag(PathAccess.Write) ? writeRights : 0)
        | (access.HasFlag(PathAccess.Execute) ? FsExecute : 0);

    private static string Describe(AccessRules rules) =>
        string.Join(", ", rules.Paths.Select(p => p.ToString()).Concat(rules.Ports.Select(p => p.ToString())).Take(4))
        + (rules.Paths.Count + rules.Ports.Count > 4 ? ", ..." : "");
}
