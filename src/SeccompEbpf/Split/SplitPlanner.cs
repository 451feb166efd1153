using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Split;

/// <summary>
/// Decides, per audit arch and syscall number, whether the whole stack's verdict is a constant the
/// kernel can return. Numbers are analysed in classes: every real syscall number and every constant
/// a filter mentions is its own class, and the numbers between them form ranges no comparison with
/// a constant can tell apart. Filters combine with seccomp precedence (lowest action wins, a tie
/// keeps the newer filter's value).
/// </summary>
public static class SplitPlanner
{
    public static SplitPlan Plan(PolicyStack stack, IReadOnlyList<SyscallArch> arches)
    {
        var constants = CollectConstants(stack);
        var splits = new List<ArchSplit>();
        foreach (var group in arches.Distinct().GroupBy(a => a.AuditArch()))
        {
            var groupArches = group.ToList();
            var points = new SortedSet<uint> { 0, ArchGroup.X32Bit, uint.MaxValue };
            foreach (var arch in groupArches)
                foreach (var (_, number) in SyscallTable.For(arch).Entries) AddPoint(points, (uint)number);
            foreach (var c in constants) AddPoint(points, c);
            foreach (var profile in stack.Filters.OfType<ProfileStackFilter>())
                foreach (var g in profile.Plan.Groups.Where(g => g.AuditArch == group.Key))
                    foreach (var nr in g.ByNumber.Keys) AddPoint(points, nr);
            var entries = Classes(points).Select(c => Decide(stack, AbstractValueRange.Exactly(group.Key), c, group.Key)).ToList();
            splits.Add(new ArchSplit(group.Key, groupArches, entries));
        }
        return new SplitPlan(stack, splits, OtherArches(stack, splits.Select(s => s.AuditArch).ToHashSet(), constants));
    }

    private static void AddPoint(SortedSet<uint> points, uint value)
    {
        points.Add(value);
        if (value != uint.MaxValue) points.Add(value + 1);
    }

    private static IEnumerable<AbstractValueRange> Classes(SortedSet<uint> points)
    {
        var list = points.ToList();
        for (int i = 0; i < list.Count; i++)
            yield return new AbstractValueRange(list[i], i + 1 < list.Count ? list[i + 1] - 1UL : uint.MaxValue);
    }

    /// <summary>Every 32-bit constant the eBPF programs use: comparing nr or arch with them is what tells classes apart.</summary>
    private static HashSet<uint> CollectConstants(PolicyStack stack)
    {
        var set = new HashSet<uint>();
        foreach (var filter in stack.Filters.OfType<EbpfStackFilter>())
        {
            var code = filter.Program.Instructions;
            for (int i = 0; i < code.Length; i++)
            {
                set.Add((uint)code[i].Imm);
                if (code[i].IsLoadImm64 && i + 1 < code.Length) i++;
            }
        }
        foreach (var filter in stack.Filters.OfType<ClassicStackFilter>())
            foreach (var insn in filter.Program.Instructions) set.Add(insn.K);
        return set;
    }

    /// <summary>Every arch value the plan does not list, as ranges; a single outcome when they all agree, otherwise dynamic.</summary>
    private static SplitEntry OtherArches(PolicyStack stack, HashSet<uint> planned, HashSet<uint> constants)
    {
        var points = new SortedSet<uint> { 0, uint.MaxValue };
        foreach (var a in planned) AddPoint(points, a);
        foreach (var c in constants) AddPoint(points, c);
        foreach (var profile in stack.Filters.OfType<ProfileStackFilter>())
            foreach (var g in profile.Plan.Groups) AddPoint(points, g.AuditArch);
        var all = new AbstractValueRange(0, uint.MaxValue);
        SplitEntry? first = null;
        foreach (var archClass in Classes(points))
        {
            if (archClass.Low == archClass.High && planned.Contains((uint)archClass.Low)) continue;
            var entry = Decide(stack, archClass, all, auditArch: null);
            if (entry.Kind == SplitKind.Dynamic) return entry with { Low = 0, High = uint.MaxValue };
            if (entry.Kind != SplitKind.Static || (first is not null && first.Action != entry.Action))
                return new SplitEntry(0, uint.MaxValue, SplitKind.Dynamic, 0, "the verdict for unlisted arches differs between arch values", null, []);
            first ??= entry;
        }
        return (first ?? new SplitEntry(0, uint.MaxValue, SplitKind.Static, SeccompAction.Allow, null, null, [])) with { Low = 0, High = uint.MaxValue };
    }

    private static SplitEntry Decide(PolicyStack stack, AbstractValueRange arch, AbstractValueRange nr, uint? auditArch)
    {
        uint low = (uint)nr.Low, high = (uint)nr.High;
        var newestFirst = stack.NewestFirst().ToList();
        var outcomes = new List<FilterOutcome>(newestFirst.Count);
        foreach (var filter in newestFirst)
        {
            var outcome = filter switch
            {
                EbpfStackFilter e => EbpfPartialEvaluator.Evaluate(e.Program, arch, nr),
                ProfileStackFilter p => ProfileOutcome(p.Plan, arch, nr),
                ClassicStackFilter c => ClassicPartialEvaluator.Evaluate(c.Program, arch, nr),
                _ => new DynamicOutcome("unknown filter kind", 0),
            };
            if (outcome is DynamicOutcome d)
                return new SplitEntry(low, high, SplitKind.Dynamic, SeccompAction.UserNotif, d.Reason, filter.Name, []);
            outcomes.Add(outcome);
        }
        var ruleFilters = outcomes.Select((o, i) => (o, i)).Where(x => x.o is ArgumentRulesOutcome).ToList();
        if (ruleFilters.Count > 1)
            return new SplitEntry(low, high, SplitKind.Dynamic, SeccompAction.UserNotif,
                "more than one filter tests the arguments (one kernel program tests one filter's rules)", newestFirst[ruleFilters[1].i].Name, []);
        var values = outcomes.Select(o => o is ConstantOutcome c ? c.Value : 0u).ToArray();
        if (ruleFilters.Count == 0)
            return new SplitEntry(low, high, SplitKind.Static, FilterPrecedence.Combine(values), null, null, []);

        var (ruleOutcome, index) = ((ArgumentRulesOutcome)ruleFilters[0].o, ruleFilters[0].i);
        uint With(uint value) { values[index] = value; return FilterPrecedence.Combine(values); }
        var rules = ruleOutcome.Plan.Rules.Select(r => new RulePlan(r.Tests, new SeccompAction(With(r.Action.Value)))).ToList();
        uint fallback = With(ruleOutcome.Fallback);
        if (rules.All(r => r.Action.Value == fallback))
            return new SplitEntry(low, high, SplitKind.Static, fallback, null, null, []);
        return new SplitEntry(low, high, SplitKind.KernelArguments, fallback, "argument rules", newestFirst[index].Name, rules);
    }

    /// <summary>A profile's verdict, read off its resolved plan (classes never straddle a listed number, x32's bit or -1).</summary>
    private static FilterOutcome ProfileOutcome(FilterPlan plan, AbstractValueRange arch, AbstractValueRange nr)
    {
        var groups = plan.Groups.Where(g => g.AuditArch >= arch.Low && g.AuditArch <= arch.High).ToList();
        if (groups.Count == 0) return new ConstantOutcome(plan.BadArchAction.Value);
        var group = groups[0];
        if (arch.Low != arch.High) return new DynamicOutcome($"profile verdict differs inside arch range 0x{arch.Low:x}..0x{arch.High:x}", 0);
        uint low = (uint)nr.Low;
        if (nr.Low == nr.High && group.ByNumber.TryGetValue(low, out var sp))
        {
            if (group.IsForeignNr(low)) return new ConstantOutcome(plan.BadArchAction.Value);
            if (sp.Rules.Count == 0) return new ConstantOutcome(group.DefaultAction.Value);
            if (sp.Rules[0].Tests.Count == 0) return new ConstantOutcome(sp.Rules[0].Action.Value);
            return new ArgumentRulesOutcome(sp, group.DefaultAction.Value);
        }
        if (nr.Low != nr.High && group.ByNumber.Keys.Any(k => k >= nr.Low && k <= nr.High))
            return new DynamicOutcome("profile rules inside a number range", 0);
        bool foreignLow = group.IsForeignNr(low), foreignHigh = group.IsForeignNr((uint)nr.High);
        if (foreignLow != foreignHigh) return new DynamicOutcome("profile treats part of the number range as another ABI", 0);
        return new ConstantOutcome(foreignLow ? plan.BadArchAction.Value : group.DefaultAction.Value);
    }
}
