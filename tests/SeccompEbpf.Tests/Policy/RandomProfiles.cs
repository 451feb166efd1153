using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// Random profiles (fixed seeds) that use every operator, every action and every architecture:
/// several entries per syscall, several conditions per entry, now and then a repeated argument
/// index (runc splits those), 32- and 64-bit values. All entries that can reach the same syscall
/// (including the socketcall/ipc families of the ABIs that multiplex) share one action, because libseccomp gives no
/// defined priority between overlapping rules with different actions.
/// <para>libseccomp 2.5.4 generates wrong BPF for some OR-ed rules whose multi-condition chains use
/// the inverted operators NE/LT/LE (its PFC output is right, its BPF is not; e.g. seed 36 of the
/// unrestricted generator, readlinkat on x86). So even seeds use one entry per syscall with any
/// operators and 64-bit values; odd seeds use several entries per syscall (and repeated argument
/// indices, which runc splits into OR-ed rules), each entry with at most one condition, and
/// NE/LT/LE/GT/GE compare with 32-bit values. The same bug appears for OR-ed 64-bit ordering
/// tests ([a5 LT 10] | [a5 GT 0x4c5e66badf0a0ef4] on aarch64) and for OR-ed multi-condition
/// chains even with 32-bit values ([a0 GE 0x52118c64] | ... | [a0 GE 0xa &amp;&amp; a2 GE 0x8] on x86_64
/// misses a0 = 0x17, a2 = 0xb).</para>
/// </summary>
internal static class RandomProfiles
{
    /// <summary>Every ABI but those the reference, libseccomp 2.5.4, lacks.</summary>
    private static readonly SyscallArch[] Arches = SyscallArchInfo.All
        .Except([SyscallArch.LoongArch64, SyscallArch.M68k, SyscallArch.Sh, SyscallArch.ShEb]).ToArray();

    /// <summary>
    /// libseccomp (2.5.4, still in 2.6.1) gives these two the same pseudo number (-10191), so where
    /// the native ABI lacks both (x86_64, the reference's), a rule on one lands on the other on ppc.
    /// </summary>
    private static readonly string[] SharedPseudoNumber = ["sys_debug_setcontext", "switch_endian"];

    private static readonly string[] AllNames = Arches
        .SelectMany(a => SyscallTable.For(a).Entries.Select(e => e.Name)).Distinct()
        .Except(SharedPseudoNumber).Order().ToArray();

    private static readonly ActionKind[] Kinds = Enum.GetValues<ActionKind>();

    public static SeccompProfile Generate(int seed)
    {
        var random = new Random(seed);
        // One byte order per profile: libseccomp refuses to mix them in a filter.
        bool bigEndian = random.Next(3) == 0;
        var pool = Arches.Where(a => a.Facts().BigEndian == bigEndian).ToArray();
        var arches = pool.Where(_ => random.Next(2) == 0).OrderBy(_ => random.Next()).ToList();
        if (arches.Count == 0) arches.Add(pool[random.Next(pool.Length)]);

        var defaultKind = Kinds.Where(k => k != ActionKind.Notify).ElementAt(random.Next(Kinds.Length - 1));
        var actions = new Dictionary<string, (ActionKind Kind, uint? Ret)>();
        var rules = new List<SyscallRule>();
        int names = random.Next(5, 60);
        for (int i = 0; i < names; i++)
        {
            var name = AllNames[random.Next(AllNames.Length)];
            var family = FamilyOf(name);
            if (!actions.TryGetValue(family, out var action))
            {
                var kind = Kinds[random.Next(Kinds.Length)];
                uint? ret = kind is ActionKind.Errno or ActionKind.Trace && random.Next(4) != 0 ? (uint)random.Next(4096) : null;
                actions[family] = action = (kind, ret);
            }
            bool severalEntries = seed % 2 == 1;
            if (!severalEntries && rules.Any(r => r.Names[0] == name)) continue;
            int entries = severalEntries ? random.Next(1, 4) : 1;
            for (int e = 0; e < entries; e++)
                rules.Add(new SyscallRule
                {
                    Names = [name],
                    Action = new ProfileAction(action.Kind),
                    ErrnoRet = action.Ret,
                    Args = RandomConditions(random, invertedOnlyAlone: severalEntries),
                    Path = $"$.syscalls[{rules.Count}]",
                });
        }
        return new SeccompProfile
        {
            DefaultAction = new ProfileAction(defaultKind),
            DefaultErrnoRet = defaultKind is ActionKind.Errno or ActionKind.Trace ? (uint)random.Next(1, 4096) : null,
            Architectures = arches.Select(a => a.OciName()).ToList(),
            Syscalls = rules,
        };
    }

    private static string FamilyOf(string name) =>
        MultiplexedSyscalls.TryGetFamily(name, out var mux, out _) ? mux : name;

    private static List<ArgCondition> RandomConditions(Random random, bool invertedOnlyAlone)
    {
        int count = invertedOnlyAlone ? random.Next(2) : random.Next(4) switch { 0 => 0, 1 => 1, 2 => 2, _ => random.Next(3, 6) };
        var indices = Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(count).ToList();
        if (invertedOnlyAlone && count > 0 && random.Next(8) == 0) indices.Add(indices[0]); // repeated index: runc splits the rule into OR-ed rules
        return indices.Select(index =>
        {
            var op = (ComparisonOperator)random.Next(7);
            ulong value = RandomValue(random);
            if (invertedOnlyAlone && op is not (ComparisonOperator.Equal or ComparisonOperator.MaskedEqual))
                value &= uint.MaxValue;
            ulong valueTwo = op == ComparisonOperator.MaskedEqual
                ? (random.Next(2) == 0 ? value & RandomValue(random) : RandomValue(random))
                : (random.Next(4) == 0 ? RandomValue(random) : 0);
            return new ArgCondition(index, value, valueTwo, op);
        }).ToList();
    }

    private static ulong RandomValue(Random random) => random.Next(5) switch
    {
        0 => (ulong)random.Next(16),
        1 => (uint)random.NextInt64(),
        2 => (ulong)random.NextInt64() | (1UL << 63) * (ulong)random.Next(2),
        3 => ((ulong)random.Next(4) << 32) | (uint)random.Next(16),
        _ => ulong.MaxValue - (ulong)random.Next(3),
    };
}
