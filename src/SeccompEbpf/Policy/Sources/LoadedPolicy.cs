using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// A policy ready for any consumer: its filters in installation order (eBPF ones verified once, with
/// their live maps and proofs), the ABIs it was resolved for, and its loader. <c>run</c> enforces it,
/// <c>plan</c> prints its split, <c>simulate</c> installs it on the process model.
/// </summary>
public sealed class LoadedPolicy
{
    private readonly Lazy<SplitPlan> _split;

    internal LoadedPolicy(PolicyStack stack, IReadOnlyList<SyscallArch> arches, LoaderPrivileges loader, bool isDefault)
    {
        Stack = stack;
        Arches = arches;
        Loader = loader;
        IsDefault = isDefault;
        _split = new Lazy<SplitPlan>(() => SplitPlanner.Plan(Stack, Arches));
    }

    public PolicyStack Stack { get; }
    public IReadOnlyList<SyscallArch> Arches { get; }
    public LoaderPrivileges Loader { get; }

    /// <summary>True when the user named no source: the built-in default policy.</summary>
    public bool IsDefault { get; }

    /// <summary>"docker.json + filter.o:counter": the filters, oldest first.</summary>
    public string Description => string.Join(" + ", Stack.Filters.Select(f => f.Name));

    public IEnumerable<EbpfStackFilter> EbpfFilters => Stack.Filters.OfType<EbpfStackFilter>();

    /// <summary>The static/dynamic split over <see cref="Arches"/> (computed once).</summary>
    public SplitPlan Split => _split.Value;

    /// <summary>The user-space side of the split on <paramref name="engine"/>: the eBPF filters built from their one verification.</summary>
    public BpfResult<ChainEvaluator> Evaluator(EngineKind engine = BpfEngines.Default) => ChainEvaluator.Create(Stack, engine);
}
