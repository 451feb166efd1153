using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Default;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Split;

/// <summary>
/// Builds a <see cref="PolicyStack"/> from the files a user names. Installation order: the profile
/// first (oldest), then classic filters, then eBPF objects in the order given (the last is newest).
/// With no file at all, the built-in default policy.
/// </summary>
public static class PolicyStackLoader
{
    public static BpfResult<PolicyStack> Load(IReadOnlyList<string> ebpfFilters, string? profilePath, IReadOnlyList<string> classicFilters,
        IReadOnlyList<SyscallArch> arches, HelperTable? helpers = null)
    {
        var filters = new List<StackFilter>();
        if (ebpfFilters.Count == 0 && profilePath is null && classicFilters.Count == 0)
        {
            filters.Add(new ProfileStackFilter(DefaultPolicy.Name, PolicyResolver.Resolve(DefaultPolicy.Profile(), Target(arches)).Plan));
            return new PolicyStack(filters);
        }
        if (profilePath is not null)
        {
            var parsed = ProfileParser.ParseFile(profilePath);
            if (!parsed.Ok) return new BpfError(string.Join("; ", parsed.Diagnostics), Location: profilePath);
            filters.Add(new ProfileStackFilter(profilePath, PolicyResolver.Resolve(parsed.Profile!, Target(arches)).Plan));
        }
        foreach (var path in classicFilters)
        {
            var loaded = ClassicFilterFile.Load(path);
            if (!loaded.IsOk) return loaded.Error!;
            var program = ClassicChecker.Check(loaded.Value);
            if (!program.IsOk) return program.Error! with { Location = path };
            filters.Add(new ClassicStackFilter(path, program.Value));
        }
        foreach (var spec in ebpfFilters)
        {
            var filter = LoadEbpf(spec, helpers);
            if (!filter.IsOk) return filter.Error!;
            filters.Add(filter.Value);
        }
        return new PolicyStack(filters);
    }

    private static ProfileTarget Target(IReadOnlyList<SyscallArch> arches) => new() { ArchesOverride = arches };

    /// <summary>FILE.o or FILE.o:SECTION (a section name such as "seccomp", or a program name).</summary>
    public static BpfResult<EbpfStackFilter> LoadEbpf(string spec, HelperTable? helpers = null)
    {
        string path = spec, section = "";
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && !File.Exists(spec)) { path = spec[..colon]; section = spec[(colon + 1)..]; }
        var obj = BpfObjectLoader.LoadFile(path);
        if (!obj.IsOk) return obj.Error!;
        var candidates = section == "" ? obj.Value.Programs : obj.Value.ProgramsMatching(section);
        if (candidates.Count == 0)
            return new BpfError(section == "" ? "the object has no program" : $"no program in section or named '{section}' (have: {string.Join(", ", obj.Value.Programs.Select(p => p.SectionName))})", Location: path);
        if (candidates.Count > 1)
            return new BpfError($"the object has {candidates.Count} programs; pick one with {path}:SECTION ({string.Join(", ", candidates.Select(p => p.SectionName))})", Location: path);
        var program = BpfProgram.Create(candidates[0].Name, candidates[0].Instructions, obj.Value.Maps, helpers);
        if (!program.IsOk) return program.Error! with { Location = path };
        return new EbpfStackFilter($"{Path.GetFileName(path)}:{candidates[0].Name}", program.Value);
    }
}
