using System.Collections.Frozen;
using SeccompEbpf.Syscalls.Generated;

namespace SeccompEbpf.Syscalls;

/// <summary>
/// System-call names and numbers of one ABI (generated from libseccomp's tables by
/// tools/syscall-tables/generate.py). x32 numbers include the x32 bit 0x40000000.
/// </summary>
public sealed class SyscallTable
{
    private readonly FrozenDictionary<string, int> _byName;
    private readonly FrozenDictionary<int, string> _byNumber;

    public SyscallArch Arch { get; }

    private SyscallTable(SyscallArch arch, (string Name, int Number)[] entries)
    {
        Arch = arch;
        _byName = entries.ToFrozenDictionary(e => e.Name, e => e.Number, StringComparer.Ordinal);
        _byNumber = entries.ToFrozenDictionary(e => e.Number, e => e.Name);
    }

    public int Count => _byName.Count;

    public IEnumerable<(string Name, int Number)> Entries => _byName.Select(kv => (kv.Key, kv.Value)).OrderBy(e => e.Value);

    public bool TryGetNumber(string name, out int number) => _byName.TryGetValue(name, out number);

    public string? NameOf(int number) => _byNumber.GetValueOrDefault(number);

    private static readonly FrozenDictionary<SyscallArch, SyscallTable> Tables = new Dictionary<SyscallArch, SyscallTable>
    {
        [SyscallArch.X86_64] = new(SyscallArch.X86_64, GeneratedSyscallTables.X86_64),
        [SyscallArch.I386] = new(SyscallArch.I386, GeneratedSyscallTables.I386),
        [SyscallArch.X32] = new(SyscallArch.X32, GeneratedSyscallTables.X32),
        [SyscallArch.AArch64] = new(SyscallArch.AArch64, GeneratedSyscallTables.AArch64),
        [SyscallArch.Arm] = new(SyscallArch.Arm, GeneratedSyscallTables.Arm),
        [SyscallArch.RiscV64] = new(SyscallArch.RiscV64, GeneratedSyscallTables.RiscV64),
    }.ToFrozenDictionary();

    public static SyscallTable For(SyscallArch arch) => Tables[arch];
}
