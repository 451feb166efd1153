using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>How a program is verified: program type, privileges, helpers, maps, limits, log level.</summary>
public sealed record VerifierOptions(IProgramTypeRules ProgramType)
{
    public const int UnprivilegedMaxInstructions = 4096;
    public const int ComplexityLimit = 1_000_000;

    /// <summary>Helpers the program may call, by id. Empty: no helpers at all.</summary>
    public IReadOnlyDictionary<int, HelperPrototype> Helpers { get; init; } = new Dictionary<int, HelperPrototype>();

    /// <summary>Maps referenced by lddw (pseudo map fd / index), keyed by the imm the instruction carries.</summary>
    public IReadOnlyDictionary<int, MapSpec> Maps { get; init; } = new Dictionary<int, MapSpec>();

    /// <summary>False refuses every map reference (the LSM refusal mode: no direct map access).</summary>
    public bool AllowMapAccess { get; init; } = true;

    /// <summary>Privileged loaders may leak pointers (R0, map values, comparisons, pointer subtraction).</summary>
    public bool AllowPointerLeaks { get; init; }

    /// <summary>
    /// Reads of stack bytes never written on the path give unknown data instead of an error, as the
    /// kernel allows for CAP_PERFMON loaders (allow_uninit_stack). Bounds are still checked, so this
    /// never makes an access unsafe; it only lets a program see stale or zeroed stack.
    /// </summary>
    public bool AllowUninitializedStackReads { get; init; }

    /// <summary>Loops (back-edges) need CAP_BPF in the kernel; without it the CFG must be acyclic.</summary>
    public bool AllowLoops { get; init; }

    /// <summary>Maximum program size in instructions (4096 for unprivileged loaders).</summary>
    public int MaxInstructions { get; init; } = UnprivilegedMaxInstructions;

    /// <summary>Budget of instructions processed over all paths before giving up.</summary>
    public int MaxProcessedInstructions { get; init; } = ComplexityLimit;

    /// <summary>0: errors only; 1: errors and branch decisions; 2: every instruction with its state.</summary>
    public int LogLevel { get; init; }

    /// <summary>Options of a privileged (CAP_BPF+CAP_PERFMON) loader: pointer leaks, uninitialised stack reads and loops allowed, 1M instructions.</summary>
    public VerifierOptions AsPrivileged() => this with
    {
        AllowPointerLeaks = true, AllowUninitializedStackReads = true, AllowLoops = true, MaxInstructions = ComplexityLimit,
    };
}
