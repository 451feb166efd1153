namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// How the JIT compiles a program. The safety policy: a program is always run with every memory
/// access checked against the run's regions (exactly as the interpreter checks it), except the
/// accesses a verifier has proved to be in bounds and listed in <see cref="ProvenSafeAccesses"/>.
/// Unverified programs are therefore accepted and run fully checked; they are never refused.
/// </summary>
public sealed record JitOptions
{
    public static JitOptions Default { get; } = new();

    /// <summary>
    /// Instruction indices of loads, stores and atomics whose address a verifier proved to lie
    /// inside memory the program may touch (with the right access kind). Their run-time check is
    /// dropped. Null or empty: everything is checked.
    /// </summary>
    public IReadOnlySet<int>? ProvenSafeAccesses { get; init; }

    /// <summary>
    /// Instruction indices, besides 0 and the functions the program names, where the compiled code
    /// may be entered with <see cref="JittedProgram.RunFrom"/>. Lets a tool compile many small
    /// programs placed one after another as one method (the differential test does, to keep
    /// compile cost down).
    /// </summary>
    public IReadOnlyCollection<int>? AdditionalEntryPoints { get; init; }

    /// <summary>
    /// Count instructions per basic block and stop at <see cref="BpfRunContext.InstructionBudget"/>
    /// exactly where the interpreter stops (on by default: unverified programs may loop forever).
    /// Turn off only for programs a verifier proved to terminate; runs then report 0 instructions executed.
    /// </summary>
    public bool EnforceInstructionBudget { get; init; } = true;

    public bool IsProvenSafe(int instructionIndex) => ProvenSafeAccesses?.Contains(instructionIndex) == true;
}
