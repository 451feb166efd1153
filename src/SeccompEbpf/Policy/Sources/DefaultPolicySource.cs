using SeccompEbpf.Bpf;
using SeccompEbpf.Policy.Default;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// The built-in default policy (<see cref="DefaultPolicy"/>), the policy of a user who names none. Its
/// rules name system calls, not ABIs, so it covers exactly the ABIs asked for: every one the machine runs.
/// </summary>
public sealed class DefaultPolicySource : IPolicySource
{
    public static readonly DefaultPolicySource Instance = new();

    public string Name => DefaultPolicy.Name;

    public BpfResult<IReadOnlyList<StackFilter>> Load(PolicyLoadContext context)
    {
        var target = context.ProfileTarget with { ArchesOverride = context.Arches };
        return new([new ProfileStackFilter(Name, PolicyResolver.Resolve(DefaultPolicy.Profile(), target).Plan)]);
    }
}
