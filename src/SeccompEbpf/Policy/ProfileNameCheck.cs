using SeccompEbpf.Bpf;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy;

/// <summary>
/// The system-call names of a profile that no architecture the rule can apply to has: misspelt (or
/// newer than the tables), so the rule silently does nothing with them. A name only some of those
/// ABIs lack is expected (Docker's profile lists i386's _llseek and x86_64's arch_prctl side by side)
/// and not reported here.
/// </summary>
public static class ProfileNameCheck
{
    /// <summary>
    /// One warning per such name, with its JSON path and the nearest real name. A rule's ABIs are
    /// those of its includes.arches (each with its archMap entry, as Docker picks them); a rule
    /// without has the profile's: "architectures", every archMap entry, and <paramref name="resolved"/>
    /// (what the profile is compiled for; all a profile that names none has).
    /// </summary>
    public static IReadOnlyList<ProfileDiagnostic> Check(SeccompProfile profile, IReadOnlyList<SyscallArch> resolved)
    {
        var profileArches = NamedArches(profile).Concat(resolved).Distinct().ToList();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<ProfileDiagnostic>();
        for (int r = 0; r < profile.Syscalls.Count; r++)
        {
            var rule = profile.Syscalls[r];
            var arches = rule.Includes.Arches.Count > 0 ? IncludedArches(profile, rule.Includes.Arches) : profileArches;
            if (arches.Count == 0) continue; // includes only ABIs this compiler has no table for
            var tables = arches.Select(SyscallTable.For).ToList();
            for (int n = 0; n < rule.Names.Count; n++)
            {
                var name = rule.Names[n];
                bool known = tables.Any(t => t.TryGetNumber(name, out _)) || arches.Any(a => MultiplexedSyscalls.TryGet(a, name, out _, out _));
                if (known || !reported.Add(name)) continue;
                var where = arches.Count == 1 ? $"is not in the system-call table of {arches[0].ShortName()}"
                    : $"is in none of the system-call tables of its {arches.Count} architectures";
                var hint = NearestName.Hint(name, tables.SelectMany(t => t.Names).Distinct());
                diagnostics.Add(new ProfileDiagnostic($"$.syscalls[{r}].names[{n}]",
                    $"\"{name}\" {where} (libseccomp 2.6's); the rule ignores it{hint}", DiagnosticSeverity.Warning));
            }
        }
        return diagnostics;
    }

    private static IEnumerable<SyscallArch> NamedArches(SeccompProfile profile) =>
        profile.Architectures
            .Concat(profile.ArchMap.SelectMany(m => m.SubArchitectures.Prepend(m.Architecture)))
            .Select(Parse).OfType<SyscallArch>();

    // A rule for "arm64" applies where arm64 is native: the filter then covers arm64's archMap entry.
    private static List<SyscallArch> IncludedArches(SeccompProfile profile, IReadOnlyList<string> dockerNames) =>
        dockerNames.Select(Parse).OfType<SyscallArch>()
            .SelectMany(native => profile.ArchMap.FirstOrDefault(m => Parse(m.Architecture) == native) is { } entry
                ? entry.SubArchitectures.Prepend(entry.Architecture).Select(Parse).OfType<SyscallArch>()
                : [native])
            .Distinct().ToList();

    private static SyscallArch? Parse(string name) => SyscallArchInfo.TryParse(name, out var arch) ? arch : null;
}
