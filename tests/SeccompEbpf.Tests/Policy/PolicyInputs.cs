using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// Deterministic seccomp_data inputs for comparing filters: every syscall number 0..1023 (and the
/// x32 and MIPS numbers, -1, ARM's private calls, huge numbers) for every audit arch of the plan plus a
/// foreign one, each with argument vectors drawn from the profile's boundary values (datum - 1,
/// datum, datum + 1 in each word, masks) and random values.
/// </summary>
internal static class PolicyInputs
{
    /// <param name="vectorsPerRuleNumber">argument vectors for numbers that have argument rules (default: as many as the others).</param>
    public static IEnumerable<SeccompData> For(FilterPlan plan, int vectorsPerNumber, int seed, int vectorsPerRuleNumber = 0)
    {
        var withRules = plan.Groups.SelectMany(g => g.ByNumber.Values.Where(p => p.Rules.Any(r => r.Tests.Count > 0)).Select(p => (g.AuditArch, p.Nr))).ToHashSet();
        var random = new Random(seed);
        var pool = BoundaryValues(plan).ToArray();
        var arches = plan.Groups.Select(g => g.AuditArch).Append(ForeignArch(plan)).Distinct().ToList();
        foreach (var arch in arches)
            foreach (var nr in Numbers(arch))
                for (int v = 0, n = withRules.Contains((arch, (uint)nr)) ? Math.Max(vectorsPerNumber, vectorsPerRuleNumber) : vectorsPerNumber; v < n; v++)
                {
                    var args = new SeccompArgs();
                    for (int i = 0; i < 6; i++)
                        args[i] = random.Next(4) == 0 ? RandomWord(random) : pool[random.Next(pool.Length)];
                    yield return new SeccompData(nr, arch, (ulong)random.NextInt64(), args);
                }
    }

    public static int CountNumbers(FilterPlan plan) =>
        plan.Groups.Select(g => g.AuditArch).Append(ForeignArch(plan)).Distinct().Sum(a => Numbers(a).Count());

    private static uint ForeignArch(FilterPlan plan) =>
        plan.Groups.Any(g => g.AuditArch == AuditArch.AArch64) ? 0x12345678u : AuditArch.AArch64;

    private static IEnumerable<int> Numbers(uint arch)
    {
        // 0..1023 and, for each ABI of the audit arch, 1024 numbers from its first one (the MIPS
        // ABIs start at 4000/5000/6000, x32 at the x32 bit).
        var starts = SyscallArchInfo.All.Where(a => a.AuditArch() == arch)
            .Select(a => SyscallTable.For(a).Entries.Min(e => e.Number)).Append(0).Distinct();
        foreach (var start in starts)
            for (int nr = start; nr < start + 1024; nr++) yield return nr;
        for (int nr = 0x0f0000; nr < 0x0f0010; nr++) yield return nr;
        foreach (var nr in new[] { -1, -2, int.MinValue, int.MaxValue, 0x3fffffff, 0x40000000 - 1 + 1024 * 1024 })
            yield return nr;
    }

    private static IEnumerable<ulong> BoundaryValues(FilterPlan plan)
    {
        var values = new HashSet<ulong> { 0, 1, 2, uint.MaxValue, 1UL << 32, ulong.MaxValue, ulong.MaxValue - 1, 0x7fffffff, 0x80000000 };
        foreach (var test in plan.Groups.SelectMany(g => g.ByNumber.Values).SelectMany(p => p.Rules).SelectMany(r => r.Tests))
        {
            foreach (var d in new[] { test.Datum, test.Datum | ~test.Mask, test.Datum ^ 1, test.Mask })
            {
                ulong lo = d & uint.MaxValue, hi = d >> 32;
                foreach (var h in new[] { hi, hi + 1, hi - 1, 0UL })
                    foreach (var l in new[] { lo, lo + 1, lo - 1 })
                        values.Add(((h & uint.MaxValue) << 32) | (l & uint.MaxValue));
            }
        }
        return values;
    }

    private static ulong RandomWord(Random random) => random.Next(3) switch
    {
        0 => (ulong)random.Next(64),
        1 => (uint)random.NextInt64(),
        _ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33),
    };
}
