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
        var plan = PolicyResolver.Resolve(parsed.Profile!, context.ProfileTarget).Plan;
        return new([new ProfileStackFilter(Name, plan)]);
    }
}
