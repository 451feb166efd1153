namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>Enforcement tests start real processes; running them one at a time keeps the 2-core CI calm and timings sane.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnforcementCollection
{
    public const string Name = "enforcement";
}
