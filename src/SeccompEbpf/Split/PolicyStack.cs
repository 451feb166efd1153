using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Classic;
using SeccompEbpf.Policy;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Split;

/// <summary>One filter of a policy, as the planner and the decider see it.</summary>
public abstract record StackFilter(string Name);

/// <summary>
/// An eBPF program with its live maps (shared with whoever updates them) and, when it came through
/// the policy loader, its one verification (<paramref name="Loaded"/>), whose proofs the JIT uses.
/// </summary>
public sealed record EbpfStackFilter(string Name, BpfProgram Program, LoadedSeccompProgram? Loaded = null) : StackFilter(Name);

/// <summary>A classic filter given as is (kept in user space for the syscalls it cannot be proven constant on).</summary>
public sealed record ClassicStackFilter(string Name, ClassicProgram Program) : StackFilter(Name);

/// <summary>An OCI profile resolved for the target; its argument rules can be compiled into the kernel filter.</summary>
public sealed record ProfileStackFilter(string Name, FilterPlan Plan) : StackFilter(Name);

/// <summary>The filters of a policy in installation order: the last one is the newest (it runs first and wins ties).</summary>
public sealed record PolicyStack(IReadOnlyList<StackFilter> Filters)
{
    public IEnumerable<StackFilter> NewestFirst() => Filters.Reverse();
}
