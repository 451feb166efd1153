using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy;

/// <summary>A resolved plan and what was dropped on the way (unknown names per arch, unsupported arches).</summary>
public sealed record ResolveResult(FilterPlan Plan, IReadOnlyList<ProfileDiagnostic> Diagnostics,
    IReadOnlyDictionary<SyscallArch, IReadOnlyList<string>> UnknownNames);

/// <summary>
/// Gives a parsed profile its meaning for one target, following Docker (archMap, includes/excludes)
/// and runc + libseccomp (how rules become per-arch syscall rules):
/// <list type="bullet">
/// <item>a rule whose action equals the default action is dropped (runc: libseccomp refuses it);</item>
/// <item>conditions naming the same argument twice are split into one rule per condition (runc);</item>
/// <item>a name an ABI does not have is skipped for that ABI and noted (an expected absence); a name
/// no ABI the profile names has is warned about (<see cref="ProfileNameCheck"/>);</item>
/// <item>on ABIs that multiplex (i386, m68k, mips o32, ppc, ppc64, s390, s390x, sh) a socket/IPC call
/// is also matched through socketcall/ipc with arg0 == call (libseccomp).</item>
/// </list>
/// </summary>
public static class PolicyResolver
{
    public static ResolveResult Resolve(SeccompProfile profile, ProfileTarget target)
    {
        var diagnostics = new List<ProfileDiagnostic>();
        var arches = SelectArches(profile, target, diagnostics);
        var rules = profile.Syscalls.Where(r => Applies(r, target)).ToList();
        var defaultAction = profile.DefaultAction.ToSeccompAction(profile.DefaultErrnoRet);
        var unknown = new Dictionary<SyscallArch, IReadOnlyList<string>>();

        var perArch = new Dictionary<SyscallArch, Dictionary<uint, SyscallPlanBuilder>>();
        foreach (var arch in arches)
        {
            var table = SyscallTable.For(arch);
            var plans = new Dictionary<uint, SyscallPlanBuilder>();
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var rule in rules)
            {
                var action = rule.Action.ToSeccompAction(rule.ErrnoRet);
                if (action == defaultAction) continue;
                var chains = SplitRepeatedArguments(rule.Args);
                foreach (var name in rule.Names)
                {
                    bool known = table.TryGetNumber(name, out var nr);
                    bool multiplexed = MultiplexedSyscalls.TryGet(arch, name, out var mux, out var call);
                    if (!known && !multiplexed) { missing.Add(name); continue; }
                    foreach (var chain in chains)
                    {
                        if (known)
                            Add(plans, (uint)nr, name, chain.Select(c => ArgTest.From(c, arch.Has64BitArguments())), action);
                        if (multiplexed && table.TryGetNumber(mux, out var muxNr))
                        {
                            var muxTests = chain.Where(c => c.Index != 0)
                                .Prepend(new ArgCondition(0, (ulong)call, 0, ComparisonOperator.Equal))
                                .Select(c => ArgTest.From(c, arch.Has64BitArguments()));
                            Add(plans, (uint)muxNr, mux, muxTests, action);
                        }
                    }
                }
            }
            perArch[arch] = plans;
            unknown[arch] = missing.ToList();
            if (missing.Count > 0)
                diagnostics.Add(new ProfileDiagnostic("$.syscalls", $"{arch.ShortName()}: {missing.Count} system call(s) unknown on this architecture, skipped: {string.Join(" ", missing)}", DiagnosticSeverity.Note));
        }
        diagnostics.AddRange(ProfileNameCheck.Check(profile, arches));

        var groups = arches.GroupBy(a => a.AuditArch()).Select(g =>
        {
            var members = g.ToList();
            var merged = new Dictionary<uint, SyscallPlan>();
            foreach (var arch in members)
                foreach (var (nr, b) in perArch[arch])
                    merged[nr] = b.Build();
            var guard = members.Contains(SyscallArch.X86_64) && !members.Contains(SyscallArch.X32) ? NrGuard.RejectX32
                : members.Contains(SyscallArch.X32) && !members.Contains(SyscallArch.X86_64) ? NrGuard.RequireX32
                : NrGuard.None;
            return new ArchGroup(g.Key, members, guard, defaultAction, merged);
        }).ToList();

        return new ResolveResult(new FilterPlan(groups, target.BadArchAction), diagnostics, unknown);
    }

    /// <summary>Docker's includes/excludes: any exclusion that matches drops the rule; every inclusion must match.</summary>
    public static bool Applies(SyscallRule rule, ProfileTarget target)
    {
        var ex = rule.Excludes;
        if (ex.Arches.Any(a => target.NativeArch.MatchesDockerName(a))) return false;
        if (ex.Caps.Any(target.HasCapability)) return false;
        if (ex.MinKernel is { } exMin && (target.Kernel is null || target.Kernel >= exMin)) return false;
        var inc = rule.Includes;
        if (inc.Arches.Count > 0 && !inc.Arches.Any(a => target.NativeArch.MatchesDockerName(a))) return false;
        if (inc.Caps.Count > 0 && !inc.Caps.All(target.HasCapability)) return false;
        if (inc.MinKernel is { } incMin && target.Kernel is { } kernel && kernel < incMin) return false;
        return true;
    }

    /// <summary>
    /// The ABIs to filter: the override, else "architectures", else the archMap entry of the native
    /// arch (native + subArchitectures), else the native arch alone. Unsupported ones are reported.
    /// </summary>
    public static IReadOnlyList<SyscallArch> SelectArches(SeccompProfile profile, ProfileTarget target, List<ProfileDiagnostic> diagnostics)
    {
        if (target.ArchesOverride is { Count: > 0 } forced) return forced.Distinct().ToList();
        IEnumerable<string> names;
        string path;
        if (profile.Architectures.Count > 0) { names = profile.Architectures; path = "$.architectures"; }
        else if (profile.ArchMap.FirstOrDefault(m => m.Architecture == target.NativeArch.OciName()) is { } entry)
        {
            names = entry.SubArchitectures.Prepend(entry.Architecture);
            path = "$.archMap";
        }
        else return [target.NativeArch];

        var result = new List<SyscallArch>();
        foreach (var name in names)
        {
            if (SyscallArchInfo.TryParse(name, out var arch)) { if (!result.Contains(arch)) result.Add(arch); }
            else diagnostics.Add(new ProfileDiagnostic(path, $"architecture {name} is not supported by this compiler; skipped", DiagnosticSeverity.Warning));
        }
        return result.Count > 0 ? result : [target.NativeArch];
    }

    /// <summary>runc: libseccomp allows one condition per argument in a rule, so repeated arguments become one rule per condition (OR).</summary>
    private static List<IReadOnlyList<ArgCondition>> SplitRepeatedArguments(IReadOnlyList<ArgCondition> args)
    {
        bool repeated = args.GroupBy(a => a.Index).Any(g => g.Count() > 1);
        return repeated ? args.Select(a => (IReadOnlyList<ArgCondition>)[a]).ToList() : [args];
    }

    private static void Add(Dictionary<uint, SyscallPlanBuilder> plans, uint nr, string name, IEnumerable<ArgTest> tests, SeccompAction action)
    {
        if (!plans.TryGetValue(nr, out var b)) plans[nr] = b = new SyscallPlanBuilder(nr, name);
        b.Add(new RulePlan(tests.OrderBy(t => t.Index).ToList(), action));
    }

    private sealed class SyscallPlanBuilder(uint nr, string name)
    {
        private readonly List<RulePlan> _rules = [];

        public void Add(RulePlan rule) => _rules.Add(rule);

        /// <summary>An unconditional rule makes the others irrelevant (libseccomp keeps only it).</summary>
        public SyscallPlan Build()
        {
            var unconditional = _rules.FirstOrDefault(r => r.Tests.Count == 0);
            return new SyscallPlan(nr, name, unconditional is not null ? [unconditional] : _rules.ToList());
        }
    }
}
