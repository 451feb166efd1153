using SeccompEbpf.Bpf;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// The one front end: <see cref="PolicyOptions"/> to a <see cref="LoadedPolicy"/>. Every source is
/// loaded oldest first with one shared context (ABIs, loader, helper set); every eBPF program is
/// verified exactly once, there; map seeds are stored last. run, plan, simulate and the agent all
/// come through here, so one object or profile means the same filters to each of them.
/// </summary>
public static class PolicyLoader
{
    public static BpfResult<LoadedPolicy> Load(PolicyOptions options)
    {
        var arches = options.Arches ?? NativeArch.ReachableAbis;
        if (arches.Count == 0) return new BpfError("no ABI to filter: name at least one architecture");
        var context = new PolicyLoadContext(arches, options.Loader, options.Strict, options.Warn);
        IReadOnlyList<IPolicySource> sources = options.IsDefault ? [DefaultPolicySource.Instance] : options.Sources;
        var filters = new List<StackFilter>();
        foreach (var source in sources)
        {
            var loaded = source.Load(context);
            if (!loaded.IsOk) return loaded.Error!.Location is null ? loaded.Error with { Location = source.Name } : loaded.Error;
            filters.AddRange(loaded.Value);
        }
        var stack = new PolicyStack(filters);
        foreach (var seed in options.MapSeeds)
            if (seed.ApplyTo(stack) is { } seedError) return seedError;
        return new LoadedPolicy(stack, arches, options.Loader, options.IsDefault);
    }
}
