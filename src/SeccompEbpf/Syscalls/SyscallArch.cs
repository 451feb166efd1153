using System.Collections.Frozen;
using SeccompEbpf.Syscalls.Generated;
using Audit = SeccompEbpf.Model.AuditArch;

namespace SeccompEbpf.Syscalls;

/// <summary>The system-call ABIs the policy compiler knows: every architecture of libseccomp 2.6.</summary>
public enum SyscallArch
{
    X86_64,
    I386,
    X32,
    AArch64,
    Arm,
    RiscV64,
    LoongArch64,
    M68k,
    Mips,
    MipsEl,
    Mips64,
    MipsEl64,
    Mips64N32,
    MipsEl64N32,
    Parisc,
    Parisc64,
    Ppc,
    Ppc64,
    Ppc64Le,
    S390,
    S390X,
    Sh,
    ShEb,
}

/// <summary>
/// One ABI as libseccomp defines it (src/arch-*.c): its names, the AUDIT_ARCH value its calls
/// carry, the width of its arguments, whether socket and SysV IPC calls also arrive through the
/// socketcall/ipc multiplexers, and its system-call table (big- and little-endian twins share one).
/// </summary>
/// <param name="ShortName">libseccomp's name, as in `scmp_sys_resolver -a NAME`.</param>
/// <param name="WideArguments">
/// 64-bit arguments. On the others (libseccomp's ARCH_SIZE_32, including x32 and MIPS n32, whose
/// audit arch is marked 64-bit) filters compare only the low word: the kernel zero-extends.
/// </param>
/// <param name="Multiplexed">
/// The socket and IPC calls also reach the kernel as socketcall(call, args) and ipc(call, ...), so
/// a rule on one of them also guards the multiplexer with arg0 == call (libseccomp's abi_rule_add).
/// </param>
/// <param name="OtherNames">Other spellings: Go's GOARCH (Docker's includes/excludes.arches) and common aliases.</param>
public sealed record SyscallArchFacts(
    SyscallArch Arch,
    string ShortName,
    uint AuditArch,
    bool WideArguments,
    bool Multiplexed,
    (string Name, int Number)[] Table,
    params string[] OtherNames)
{
    /// <summary>The OCI runtime-spec name: libseccomp's in capitals, e.g. SCMP_ARCH_X86_64, SCMP_ARCH_MIPSEL64N32.</summary>
    public string OciName => "SCMP_ARCH_" + ShortName.ToUpperInvariant();

    /// <summary>Big-endian ABIs keep the high word of an argument first in seccomp_data.</summary>
    public bool BigEndian => Model.AuditArch.IsBigEndian(AuditArch);
}

/// <summary>Facts about each ABI (the one place that states them) and the names profiles use.</summary>
public static class SyscallArchInfo
{
    private const bool Args64 = true, Args32 = false;        // SyscallArchFacts.WideArguments
    private const bool SocketcallIpc = true, DirectOnly = false; // SyscallArchFacts.Multiplexed

    private static readonly SyscallArchFacts[] AllFacts =
    [
        new(SyscallArch.X86_64, "x86_64", Audit.X86_64, Args64, DirectOnly, GeneratedSyscallTables.X86_64, "amd64", "x86-64"),
        new(SyscallArch.I386, "x86", Audit.I386, Args32, SocketcallIpc, GeneratedSyscallTables.I386, "i386", "386", "i686"),
        // x32 shares AUDIT_ARCH_X86_64; its numbers carry the x32 bit.
        new(SyscallArch.X32, "x32", Audit.X86_64, Args32, DirectOnly, GeneratedSyscallTables.X32),
        new(SyscallArch.AArch64, "aarch64", Audit.AArch64, Args64, DirectOnly, GeneratedSyscallTables.AArch64, "arm64"),
        // EABI only: OABI's socketcall/ipc are not part of libseccomp's arm.
        new(SyscallArch.Arm, "arm", Audit.Arm, Args32, DirectOnly, GeneratedSyscallTables.Arm),
        new(SyscallArch.RiscV64, "riscv64", Audit.RiscV64, Args64, DirectOnly, GeneratedSyscallTables.RiscV64),
        new(SyscallArch.LoongArch64, "loongarch64", Audit.LoongArch64, Args64, DirectOnly, GeneratedSyscallTables.LoongArch64, "loong64"),
        new(SyscallArch.M68k, "m68k", Audit.M68k, Args32, SocketcallIpc, GeneratedSyscallTables.M68k),
        // MIPS numbers start at 4000 (o32), 5000 (n64) and 6000 (n32); the tables include the base.
        new(SyscallArch.Mips, "mips", Audit.Mips, Args32, SocketcallIpc, GeneratedSyscallTables.MipsO32),
        new(SyscallArch.MipsEl, "mipsel", Audit.MipsEl, Args32, SocketcallIpc, GeneratedSyscallTables.MipsO32, "mipsle"),
        new(SyscallArch.Mips64, "mips64", Audit.Mips64, Args64, DirectOnly, GeneratedSyscallTables.MipsN64),
        new(SyscallArch.MipsEl64, "mipsel64", Audit.MipsEl64, Args64, DirectOnly, GeneratedSyscallTables.MipsN64, "mips64le"),
        new(SyscallArch.Mips64N32, "mips64n32", Audit.Mips64N32, Args32, DirectOnly, GeneratedSyscallTables.MipsN32),
        new(SyscallArch.MipsEl64N32, "mipsel64n32", Audit.MipsEl64N32, Args32, DirectOnly, GeneratedSyscallTables.MipsN32),
        new(SyscallArch.Parisc, "parisc", Audit.Parisc, Args32, DirectOnly, GeneratedSyscallTables.Parisc),
        new(SyscallArch.Parisc64, "parisc64", Audit.Parisc64, Args64, DirectOnly, GeneratedSyscallTables.Parisc64),
        new(SyscallArch.Ppc, "ppc", Audit.Ppc, Args32, SocketcallIpc, GeneratedSyscallTables.Ppc),
        // 64-bit PowerPC keeps socketcall and ipc (libseccomp multiplexes them there too).
        new(SyscallArch.Ppc64, "ppc64", Audit.Ppc64, Args64, SocketcallIpc, GeneratedSyscallTables.Ppc64),
        new(SyscallArch.Ppc64Le, "ppc64le", Audit.Ppc64Le, Args64, SocketcallIpc, GeneratedSyscallTables.Ppc64),
        new(SyscallArch.S390, "s390", Audit.S390, Args32, SocketcallIpc, GeneratedSyscallTables.S390),
        new(SyscallArch.S390X, "s390x", Audit.S390X, Args64, SocketcallIpc, GeneratedSyscallTables.S390X),
        // libseccomp's "sh" is little-endian SuperH (AUDIT_ARCH_SHEL), "sheb" big-endian (AUDIT_ARCH_SH).
        new(SyscallArch.Sh, "sh", Audit.ShEl, Args32, SocketcallIpc, GeneratedSyscallTables.SuperH),
        new(SyscallArch.ShEb, "sheb", Audit.Sh, Args32, SocketcallIpc, GeneratedSyscallTables.SuperH),
    ];

    private static readonly FrozenDictionary<SyscallArch, SyscallArchFacts> ByArch = AllFacts.ToFrozenDictionary(f => f.Arch);

    private static readonly FrozenDictionary<string, SyscallArch> ByName = AllFacts
        .SelectMany(f => f.OtherNames.Prepend(f.ShortName).Select(n => (Name: n, f.Arch)))
        .ToFrozenDictionary(e => e.Name, e => e.Arch, StringComparer.Ordinal);

    public static readonly IReadOnlyList<SyscallArch> All = AllFacts.Select(f => f.Arch).ToArray();

    /// <summary>libseccomp's names of every ABI, for help texts and messages.</summary>
    public static string ShortNames => string.Join(", ", AllFacts.Select(f => f.ShortName));

    public static SyscallArchFacts Facts(this SyscallArch arch) => ByArch[arch];

    public static uint AuditArch(this SyscallArch arch) => ByArch[arch].AuditArch;

    /// <summary>True when a system-call argument is 64 bits wide (see <see cref="SyscallArchFacts.WideArguments"/>).</summary>
    public static bool Has64BitArguments(this SyscallArch arch) => ByArch[arch].WideArguments;

    /// <summary>True when the socket and SysV IPC calls also arrive through socketcall/ipc.</summary>
    public static bool MultiplexesSocketAndIpc(this SyscallArch arch) => ByArch[arch].Multiplexed;

    /// <summary>The OCI runtime-spec name, e.g. SCMP_ARCH_X86_64.</summary>
    public static string OciName(this SyscallArch arch) => ByArch[arch].OciName;

    /// <summary>The short name (libseccomp's, as in `scmp_sys_resolver -a NAME`).</summary>
    public static string ShortName(this SyscallArch arch) => ByArch[arch].ShortName;

    /// <summary>
    /// Parses an architecture name in any of the spellings profiles and users write: OCI
    /// (SCMP_ARCH_X86_64), libseccomp (x86_64, x86, mipsel64), Go/Docker (amd64, 386, arm64, mips64le).
    /// </summary>
    public static bool TryParse(string name, out SyscallArch arch)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("scmp_arch_")) n = n["scmp_arch_".Length..];
        return ByName.TryGetValue(n, out arch);
    }

    /// <summary>OCI architecture names that are valid in a profile but that this compiler does not target (libseccomp has no such ABI).</summary>
    public static readonly IReadOnlySet<string> OtherOciNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "SCMP_ARCH_RISCV32",
    };

    /// <summary>Matches an arch as named in Docker's includes/excludes.arches ("amd64", "x32", "x86", "arm64", ...).</summary>
    public static bool MatchesDockerName(this SyscallArch arch, string dockerName) =>
        TryParse(dockerName, out var parsed) && parsed == arch;
}
