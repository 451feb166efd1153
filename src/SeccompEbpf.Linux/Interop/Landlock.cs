namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// Landlock (include/uapi/linux/landlock.h; Documentation/userspace-api/landlock.rst). A process in a
/// Landlock domain can only ptrace (and so open /proc/PID/mem, process_vm_readv/writev, pidfd_getfd,
/// kcmp) processes in the same or a nested domain, whatever its capabilities; with ABI 6 the ruleset
/// can also scope signals to the domain. The syscall numbers are the same on every architecture.
/// </summary>
internal static unsafe class Landlock
{
    private const int CreateRulesetNumber = 444, AddRuleNumber = 445, RestrictSelfNumber = 446;
    private const uint CreateRulesetVersion = 1u << 0;
    private const int RulePathBeneath = 1;

    /// <summary>LANDLOCK_ACCESS_FS_MAKE_BLOCK (ABI 1): the right a minimal ruleset handles and then grants everywhere.</summary>
    private const ulong AccessFsMakeBlock = 1ul << 11;

    /// <summary>LANDLOCK_SCOPE_SIGNAL (ABI 6): no signals to processes outside the domain.</summary>
    private const ulong ScopeSignal = 1ul << 1;

    /// <summary>The first ABI whose rulesets can scope signals.</summary>
    public const int SignalScopingAbi = 6;

    private const int O_PATH = 0x200000, O_CLOEXEC = 0x80000, O_DIRECTORY = 0x10000;

    /// <summary>The running kernel's Landlock ABI version, 0 when Landlock is absent or disabled.</summary>
    public static int Abi()
    {
        var version = LibC.Syscall(CreateRulesetNumber, 0, 0, CreateRulesetVersion);
        return version > 0 ? (int)version : 0;
    }

    /// <summary>
    /// Puts the calling thread (and what it executes) into a new Landlock domain that changes no file
    /// or network access: with <paramref name="abi"/> ≥ 6 it scopes signals only; below, it handles
    /// MAKE_BLOCK and grants it beneath "/", so only the ptrace rule takes effect. Needs no_new_privs
    /// (or CAP_SYS_ADMIN). Returns 0 or an errno.
    /// </summary>
    public static int RestrictSelfToDomain(int abi)
    {
        // struct landlock_ruleset_attr grew by a u64 at ABI 4 (handled_access_net) and 6 (scoped);
        // pass the size this kernel knows, or it refuses the unknown trailing fields.
        ulong* attribute = stackalloc ulong[3];
        attribute[0] = abi >= SignalScopingAbi ? 0 : AccessFsMakeBlock;
        attribute[1] = 0;
        attribute[2] = abi >= SignalScopingAbi ? ScopeSignal : 0;
        var size = abi >= SignalScopingAbi ? 24 : abi >= 4 ? 16 : 8;
        var ruleset = (int)LibC.Syscall(CreateRulesetNumber, (long)attribute, size, 0);
        if (ruleset < 0) return LibC.LastErrno;
        try
        {
            if (abi < SignalScopingAbi && GrantBeneathRoot(ruleset, AccessFsMakeBlock) is var error and not 0) return error;
            return LibC.Syscall(RestrictSelfNumber, ruleset, 0, 0) == 0 ? 0 : LibC.LastErrno;
        }
        finally
        {
            LibC.Close(ruleset);
        }
    }

    private static int GrantBeneathRoot(int ruleset, ulong access)
    {
        byte* root = stackalloc byte[] { (byte)'/', 0 };
        var rootFd = LibC.Open(root, O_PATH | O_CLOEXEC | O_DIRECTORY, 0);
        if (rootFd < 0) return LibC.LastErrno;
        // struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd.
        byte* rule = stackalloc byte[12];
        *(ulong*)rule = access;
        *(int*)(rule + 8) = rootFd;
        var added = LibC.Syscall(AddRuleNumber, ruleset, RulePathBeneath, (long)rule, 0);
        var error = added == 0 ? 0 : LibC.LastErrno;
        LibC.Close(rootFd);
        return error;
    }
}
