using SeccompEbpf.Policy;

namespace SeccompEbpf.Split;

/// <summary>What one filter does for one (arch, syscall class), as far as the analysis can tell.</summary>
public abstract record FilterOutcome
{
    private protected FilterOutcome() { }
}

/// <summary>Every reachable path returns <paramref name="Value"/> and nothing on the way reads state.</summary>
public sealed record ConstantOutcome(uint Value) : FilterOutcome;

/// <summary>The verdict needs something only known at run time; <paramref name="Reason"/> names the first instruction and why.</summary>
public sealed record DynamicOutcome(string Reason, int Instruction) : FilterOutcome;

/// <summary>
/// The verdict depends only on the arguments, through rules a classic filter can test (from an OCI
/// profile): the kernel can decide it without user space.
/// </summary>
public sealed record ArgumentRulesOutcome(SyscallPlan Plan, uint Fallback) : FilterOutcome;
