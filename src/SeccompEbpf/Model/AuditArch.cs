using System.Collections.Frozen;

namespace SeccompEbpf.Model;

/// <summary>
/// AUDIT_ARCH_* values as seen in seccomp_data.arch (linux/audit.h): the ELF machine number
/// (linux/elf-em.h) with flags for 64-bit, little-endian and the MIPS n32 calling convention.
/// </summary>
public static class AuditArch
{
    private const uint Arch64 = 0x80000000;        // __AUDIT_ARCH_64BIT
    private const uint LittleEndian = 0x40000000;  // __AUDIT_ARCH_LE
    private const uint MipsN32 = 0x20000000;       // __AUDIT_ARCH_CONVENTION_MIPS64_N32

    // ELF machine numbers (EM_*).
    private const uint Em386 = 3, Em68K = 4, EmMips = 8, EmParisc = 15, EmPpc = 20, EmPpc64 = 21,
        EmS390 = 22, EmArm = 40, EmSh = 42, EmX86_64 = 62, EmAArch64 = 183, EmRiscV = 243, EmLoongArch = 258;

    public const uint X86_64 = EmX86_64 | Arch64 | LittleEndian;   // 0xc000003e
    public const uint I386 = Em386 | LittleEndian;                 // 0x40000003
    public const uint AArch64 = EmAArch64 | Arch64 | LittleEndian; // 0xc00000b7
    public const uint Arm = EmArm | LittleEndian;                  // 0x40000028
    public const uint RiscV64 = EmRiscV | Arch64 | LittleEndian;   // 0xc00000f3
    public const uint LoongArch64 = EmLoongArch | Arch64 | LittleEndian; // 0xc0000102
    public const uint M68k = Em68K;                                // 0x00000004
    public const uint Mips = EmMips;                               // 0x00000008
    public const uint MipsEl = EmMips | LittleEndian;              // 0x40000008
    public const uint Mips64 = EmMips | Arch64;                    // 0x80000008
    public const uint MipsEl64 = EmMips | Arch64 | LittleEndian;   // 0xc0000008
    public const uint Mips64N32 = EmMips | Arch64 | MipsN32;       // 0xa0000008
    public const uint MipsEl64N32 = EmMips | Arch64 | LittleEndian | MipsN32; // 0xe0000008
    public const uint Parisc = EmParisc;                           // 0x0000000f
    public const uint Parisc64 = EmParisc | Arch64;                // 0x8000000f
    public const uint Ppc = EmPpc;                                 // 0x00000014
    public const uint Ppc64 = EmPpc64 | Arch64;                    // 0x80000015
    public const uint Ppc64Le = EmPpc64 | Arch64 | LittleEndian;   // 0xc0000015
    public const uint S390 = EmS390;                               // 0x00000016
    public const uint S390X = EmS390 | Arch64;                     // 0x80000016
    public const uint Sh = EmSh;                                   // 0x0000002a (big-endian SuperH)
    public const uint ShEl = EmSh | LittleEndian;                  // 0x4000002a

    /// <summary>x32 shares AUDIT_ARCH_X86_64 and sets this bit in the syscall number.</summary>
    public const int X32SyscallBit = 0x40000000;

    /// <summary>The kernel's names (AUDIT_ARCH_ without the prefix, lower case).</summary>
    private static readonly FrozenDictionary<uint, string> Names = new Dictionary<uint, string>
    {
        [X86_64] = "x86_64", [I386] = "i386", [AArch64] = "aarch64", [Arm] = "arm", [RiscV64] = "riscv64",
        [LoongArch64] = "loongarch64", [M68k] = "m68k", [Mips] = "mips", [MipsEl] = "mipsel",
        [Mips64] = "mips64", [MipsEl64] = "mipsel64", [Mips64N32] = "mips64n32", [MipsEl64N32] = "mipsel64n32",
        [Parisc] = "parisc", [Parisc64] = "parisc64", [Ppc] = "ppc", [Ppc64] = "ppc64", [Ppc64Le] = "ppc64le",
        [S390] = "s390", [S390X] = "s390x", [Sh] = "sh", [ShEl] = "shel",
    }.ToFrozenDictionary();

    public static string Name(uint arch) => Names.TryGetValue(arch, out var name) ? name : $"0x{arch:x8}";

    /// <summary>
    /// True for a known big-endian ABI (no __AUDIT_ARCH_LE). Its kernel stores seccomp_data in
    /// big-endian order, so the first 32-bit word of an argument is its high half. Unknown values
    /// count as little-endian, the byte order of every machine this runs on.
    /// </summary>
    public static bool IsBigEndian(uint arch) => (arch & LittleEndian) == 0 && Names.ContainsKey(arch);
}
