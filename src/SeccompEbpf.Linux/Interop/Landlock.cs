namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// Landlock (include/uapi/linux/landlock.h; Documentation/userspace-api/landlock.rst). A process in a
/// Landlock domain can only ptrace (and so open /proc/PID/mem, process_vm_readv/writev, pidfd_getfd,
/// kcmp) processes in the same or a nested domain, whatever its capabilities; a ruleset also grants
/// file and TCP-port access on resolved objects (allow-lists), and from ABI 6 scopes signals to the
/// domain. The syscall numbers are the same on every architecture.
/// </summary>
internal static unsafe class Landlock
{
    private const int CreateRulesetNumber = 444, AddRuleNumber = 445, RestrictSelfNumber = 446;
    private const uint CreateRulesetVersion = 1u << 0;
    private const int RulePathBeneath = 1, RuleNetPort = 2;

    // Filesystem rights, with the ABI that introduced them.
    public const ulong FsExecute = 1ul << 0, FsWriteFile = 1ul << 1, FsReadFile = 1ul << 2, FsReadDir = 1ul << 3,
        FsRemoveDir = 1ul << 4, FsRemoveFile = 1ul << 5, FsMakeChar = 1ul << 6, FsMakeDir = 1ul << 7,
        FsMakeReg = 1ul << 8, FsMakeSock = 1ul << 9, FsMakeFifo = 1ul << 10, FsMakeBlock = 1ul << 11,
        FsMakeSym = 1ul << 12; // ABI 1
    public const ulong FsRefer = 1ul << 13;     // ABI 2
    public const ulong FsTruncate = 1ul << 14;  // ABI 3
    public const ulong NetBindTcp = 1ul << 0, NetConnectTcp = 1ul << 1; // ABI 4
    public const ulong ScopeSignal = 1ul << 1;  // ABI 6

    /// <summary>The rights a rule on a file (not a directory) may carry; others are refused with EINVAL.</summary>
    public const ulong FileRights = FsExecute | FsWriteFile | FsReadFile | FsTruncate;

    public const int ReferAbi = 2, TruncateAbi = 3, NetworkAbi = 4, SignalScopingAbi = 6;

    private const int O_PATH = 0x200000, O_CLOEXEC = 0x80000;
    private const int StatxType = 0x1, AtEmptyPath = 0x1000;
    private const ushort S_IFMT = 0xF000, S_IFDIR = 0x4000;

    /// <summary>The running kernel's Landlock ABI version, 0 when Landlock is absent or disabled.</summary>
    public static int Abi()
    {
        var version = LibC.Syscall(CreateRulesetNumber, 0, 0, CreateRulesetVersion);
        return version > 0 ? (int)version : 0;
    }

    /// <summary>
    /// Creates the ruleset, adds every grant and puts the calling thread (and what it executes) into the
    /// new domain. Needs no_new_privs (or CAP_SYS_ADMIN). Returns null or what failed, naming the path.
    /// </summary>
    public static string? RestrictSelf(in LandlockRequest request)
    {
        // struct landlock_ruleset_attr grew by a u64 at ABI 4 (handled_access_net) and 6 (scoped);
        // pass the size this kernel knows, or it refuses the unknown trailing fields.
        ulong* attribute = stackalloc ulong[3];
        attribute[0] = request.HandledFs;
        attribute[1] = request.HandledNet;
        attribute[2] = request.Scoped;
        var size = request.Abi >= SignalScopingAbi ? 24 : request.Abi >= NetworkAbi ? 16 : 8;
        var ruleset = (int)LibC.Syscall(CreateRulesetNumber, (long)attribute, size, 0);
        if (ruleset < 0) return $"landlock_create_ruleset: {LibC.ErrnoMessage(LibC.LastErrno)}";
        try
        {
            foreach (var (path, rights) in request.Paths)
                if (GrantBeneath(ruleset, path, rights) is { } error) return error;
            // struct landlock_net_port_attr: u64 allowed_access, u64 port.
            ulong* rule = stackalloc ulong[2];
            foreach (var (port, rights) in request.Ports)
            {
                rule[0] = rights;
                rule[1] = port;
                if (LibC.Syscall(AddRuleNumber, ruleset, RuleNetPort, (long)rule, 0) != 0)
                    return $"Landlock rule for TCP port {port}: {LibC.ErrnoMessage(LibC.LastErrno)}";
            }
            return LibC.Syscall(RestrictSelfNumber, ruleset, 0, 0) == 0 ? null : $"landlock_restrict_self: {LibC.ErrnoMessage(LibC.LastErrno)}";
        }
        finally
        {
            LibC.Close(ruleset);
        }
    }

    private static string? GrantBeneath(int ruleset, string path, ulong rights)
    {
        var fd = LibC.Open(path, O_PATH | O_CLOEXEC, 0);
        if (fd < 0) return $"{path}: {LibC.ErrnoMessage(LibC.LastErrno)}";
        try
        {
            byte* stat = stackalloc byte[256];
            if (LibC.Statx(fd, "", AtEmptyPath, StatxType, stat) != 0) return $"{path}: statx: {LibC.ErrnoMessage(LibC.LastErrno)}";
            var isDirectory = (*(ushort*)(stat + 28) & S_IFMT) == S_IFDIR;
            // struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd.
            byte* rule = stackalloc byte[12];
            *(ulong*)rule = isDirectory ? rights : rights & FileRights;
            *(int*)(rule + 8) = fd;
            return LibC.Syscall(AddRuleNumber, ruleset, RulePathBeneath, (long)rule, 0) == 0
                ? null : $"Landlock rule for {path}: {LibC.ErrnoMessage(LibC.LastErrno)}";
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}

/// <summary>A Landlock ruleset as the launcher applies it, rights already masked to what the kernel's ABI knows.</summary>
internal readonly record struct LandlockRequest(
    int Abi, ulong HandledFs, ulong HandledNet, ulong Scoped,
    IReadOnlyList<(string Path, ulong Rights)> Paths, IReadOnlyList<(ushort Port, ulong Rights)> Ports);
