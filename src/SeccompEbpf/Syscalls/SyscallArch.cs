using SeccompEbpf.Model;

namespace SeccompEbpf.Syscalls;

/// <summary>The system-call ABIs the policy compiler knows. x32 shares x86_64's AUDIT_ARCH.</summary>
public enum SyscallArch
{
    X86_64,
    I386,
    X32,
    AArch64,
    Arm,
    RiscV64,
}

/// <summary>Facts about one ABI: its audit arch, argument width and names used by profiles.</summary>
public static class SyscallArchInfo
{
    public static readonly IReadOnlyList<SyscallArch> All = Enum.GetValues<SyscallArch>();

    public static uint AuditArch(this SyscallArch arch) => arch switch
    {
        SyscallArch.X86_64 or SyscallArch.X32 => Model.AuditArch.X86_64,
        SyscallArch.I386 => Model.AuditArch.I386,
        SyscallArch.AArch64 => Model.AuditArch.AArch64,
        SyscallArch.Arm => Model.AuditArch.Arm,
        SyscallArch.RiscV64 => Model.AuditArch.RiscV64,
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };

    /// <summary>
    /// True when a system-call argument is 64 bits wide. x32, i386 and arm pass 32-bit arguments:
    /// like libseccomp, filters for them compare only the low word (the kernel zero-extends).
    /// </summary>
    public static bool Has64BitArguments(this SyscallArch arch) =>
        arch is SyscallArch.X86_64 or SyscallArch.AArch64 or SyscallArch.RiscV64;

    /// <summary>The OCI runtime-spec name, e.g. SCMP_ARCH_X86_64.</summary>
    public static string OciName(this SyscallArch arch) => arch switch
    {
        SyscallArch.X86_64 => "SCMP_ARCH_X86_64",
        SyscallArch.I386 => "SCMP_ARCH_X86",
        SyscallArch.X32 => "SCMP_ARCH_X32",
        SyscallArch.AArch64 => "SCMP_ARCH_AARCH64",
        SyscallArch.Arm => "SCMP_ARCH_ARM",
        SyscallArch.RiscV64 => "SCMP_ARCH_RISCV64",
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };

    /// <summary>The short name (libseccomp's, as in `scmp_sys_resolver -a NAME`).</summary>
    public static string ShortName(this SyscallArch arch) => arch switch
    {
        SyscallArch.X86_64 => "x86_64",
        SyscallArch.I386 => "x86",
        SyscallArch.X32 => "x32",
        SyscallArch.AArch64 => "aarch64",
        SyscallArch.Arm => "arm",
        SyscallArch.RiscV64 => "riscv64",
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };

    /// <summary>
    /// Parses an architecture name in any of the spellings profiles and users write: OCI
    /// (SCMP_ARCH_X86_64), libseccomp (x86_64, x86), Go/Docker (amd64, 386, arm64).
    /// </summary>
    public static bool TryParse(string name, out SyscallArch arch)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("scmp_arch_")) n = n["scmp_arch_".Length..];
        SyscallArch? found = n switch
        {
            "x86_64" or "amd64" or "x86-64" => SyscallArch.X86_64,
            "x86" or "i386" or "386" or "i686" => SyscallArch.I386,
            "x32" => SyscallArch.X32,
            "aarch64" or "arm64" => SyscallArch.AArch64,
            "arm" => SyscallArch.Arm,
            "riscv64" => SyscallArch.RiscV64,
            _ => null,
        };
        arch = found.GetValueOrDefault();
        return found.HasValue;
    }

    /// <summary>OCI architecture names that are valid in a profile but that this compiler does not target.</summary>
    public static readonly IReadOnlySet<string> OtherOciNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
        "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
        "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV32", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
        "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    };

    /// <summary>Matches an arch as named in Docker's includes/excludes.arches ("amd64", "x32", "x86", "arm64", ...).</summary>
    public static bool MatchesDockerName(this SyscallArch arch, string dockerName) =>
        TryParse(dockerName, out var parsed) && parsed == arch;
}
