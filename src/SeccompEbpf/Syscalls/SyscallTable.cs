using System.Collections.Frozen;

namespace SeccompEbpf.Syscalls;

/// <summary>
/// System-call names and numbers of one ABI (generated from libseccomp's tables by
/// tools/syscall-tables/generate.py). x32 numbers include the x32 bit 0x40000000, MIPS numbers
/// their ABI's base (4000 o32, 5000 n64, 6000 n32).
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

    public IEnumerable<string> Names => _byName.Keys;

    public bool TryGetNumber(string name, out int number) => _byName.TryGetValue(name, out number);

    /// <summary>
    /// Why <paramref name="name"/> is not found on <paramref name="arch"/>, and what to do: the ABIs
    /// that have it, or the nearest name this ABI has.
    /// </summary>
    public static string NotFound(string name, SyscallArch arch)
    {
        var elsewhere = SyscallArchInfo.All.Where(a => For(a).TryGetNumber(name, out _)).Select(a => a.ShortName()).ToList();
        var what = elsewhere.Count > 0
            ? $" (it is one of {string.Join(", ", elsewhere.Take(6))}{(elsewhere.Count > 6 ? ", ..." : "")}: give --arch)"
            : Bpf.NearestName.Hint(name, For(arch).Names);
        return $"'{name}' is not a system call of {arch.ShortName()}{what}";
    }

    public string? NameOf(int number) => _byNumber.GetValueOrDefault(number);

    // Built on first use, one ABI at a time: `run` on x86_64 needs three of the 23, and each costs
    // two frozen dictionaries. A race builds a table twice; both copies are equal and immutable.
    private static readonly SyscallTable?[] Tables = new SyscallTable?[Enum.GetValues<SyscallArch>().Max(a => (int)a) + 1];

    public static SyscallTable For(SyscallArch arch) => Tables[(int)arch] ??= new SyscallTable(arch, arch.Facts().Table);
}
