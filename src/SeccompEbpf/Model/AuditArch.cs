namespace SeccompEbpf.Model;

/// <summary>AUDIT_ARCH_* values as seen in seccomp_data.arch, and the names used by profiles.</summary>
public static class AuditArch
{
    private const uint Arch64 = 0x80000000;   // __AUDIT_ARCH_64BIT
    private const uint LittleEndian = 0x40000000; // __AUDIT_ARCH_LE

    public const uint X86_64 = 62 | Arch64 | LittleEndian;   // 0xc000003e
    public const uint I386 = 3 | LittleEndian;               // 0x40000003
    public const uint AArch64 = 183 | Arch64 | LittleEndian; // 0xc00000b7
    public const uint Arm = 40 | LittleEndian;               // 0x40000028
    public const uint RiscV64 = 243 | Arch64 | LittleEndian; // 0xc00000f3

    /// <summary>x32 shares AUDIT_ARCH_X86_64 and sets this bit in the syscall number.</summary>
    public const int X32SyscallBit = 0x40000000;

    public static readonly IReadOnlyDictionary<string, uint> ByName = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase)
    {
        ["x86_64"] = X86_64,
        ["x32"] = X86_64,
        ["i386"] = I386,
        ["x86"] = I386,
        ["aarch64"] = AArch64,
        ["arm"] = Arm,
        ["riscv64"] = RiscV64,
    };

    public static string Name(uint arch) => arch switch
    {
        X86_64 => "x86_64",
        I386 => "i386",
        AArch64 => "aarch64",
        Arm => "arm",
        RiscV64 => "riscv64",
        _ => $"0x{arch:x8}",
    };
}
