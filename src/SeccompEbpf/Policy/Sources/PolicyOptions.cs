using SeccompEbpf.ProgramType;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy.Sources;

/// <summary>What a user asks for: the policy's sources and how to load them (run, plan, simulate and the agent alike).</summary>
public sealed record PolicyOptions
{
    /// <summary>The filters' sources in installation order: the last is the newest (it runs first and wins ties). None: the built-in default policy.</summary>
    public IReadOnlyList<IPolicySource> Sources { get; init; } = [];

    /// <summary>Who loads the eBPF filters; by default this process (root: privileged, else unprivileged).</summary>
    public LoaderPrivileges Loader { get; init; } = LoaderPrivileges.OfThisProcess();

    /// <summary>The ABIs to filter, the machine's native one first; null: every ABI this machine runs (<see cref="NativeArch.ReachableAbis"/>).</summary>
    public IReadOnlyList<SyscallArch>? Arches { get; init; }

    /// <summary>Map entries stored once the filters are loaded, before anything runs them.</summary>
    public IReadOnlyList<MapSeed> MapSeeds { get; init; } = [];

    /// <summary>A source's warnings (a profile's names no ABI it names has) are errors.</summary>
    public bool Strict { get; init; }

    /// <summary>Where a source's warnings go ("docker.json: warning: $.syscalls[3].names[0]: ..."); null: nowhere.</summary>
    public Action<string>? Warn { get; init; }

    public bool IsDefault => Sources.Count == 0;
}
