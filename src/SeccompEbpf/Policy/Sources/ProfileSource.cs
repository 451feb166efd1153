using SeccompEbpf.Bpf;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// An OCI / Docker seccomp profile, from a file or already parsed (an OCI runtime's linux.seccomp),
/// resolved as Docker resolves it on the machine (<see cref="PolicyLoadContext.ProfileTarget"/>).
/// </summary>
public sealed class ProfileSource : IPolicySource
{
    private readonly Func<ProfileParseResult> _parse;

    private ProfileSource(string name, Func<ProfileParseResult> parse)
    {
        Name = name;
        _parse = parse;
    }

    public static ProfileSource FromFile(string path) => new(path, () => ProfileParser.ParseFile(path));

    public static ProfileSource FromJson(string name, string json) => new(name, () => ProfileParser.Parse(json));

    public string Name { get; }

    public BpfResult<IReadOnlyList<StackFilter>> Load(PolicyLoadContext context)
    {
        var parsed = _parse();
        if (!parsed.Ok) return new BpfError(string.Join("; ", parsed.Diagnostics), Location: Name);
        var resolved = PolicyResolver.Resolve(parsed.Profile!, context.ProfileTarget);
        // Notes (names one ABI lacks) are expected; warnings mean part of the profile does nothing.
        var warnings = parsed.Diagnostics.Concat(resolved.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        if (context.Strict && warnings.Count > 0)
            return new BpfError($"{string.Join("; ", warnings)} (an error with --strict)", Location: Name);
        foreach (var warning in warnings) context.Warn($"{Name}: {warning}");
        return new([new ProfileStackFilter(Name, resolved.Plan)]);
    }
}
