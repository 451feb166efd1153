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

    /// <summary>
    /// A verifier proved that the program never reads stack bytes it has not written in the same
    /// run, so the frame need not be cleared before a run (<see cref="BpfRunContext.ClearStack"/>
    /// is then ignored for the main frame): no data of an earlier run can reach the program.
    /// </summary>
    public bool StackReadsProvenInitialized { get; init; }

    /// <summary>
    /// The context size a verifier assumed when it proved the context accesses safe. When set, every
    /// run checks once, up front, that r1 points at the start of a context region at least this long
    /// (and writable if <see cref="AssumedContextWritable"/>), and refuses to run otherwise: the
    /// proven accesses then need no check of their own.
    /// </summary>
    public int? AssumedContextSize { get; init; }

    /// <summary>The verifier let the program write its context (see <see cref="AssumedContextSize"/>).</summary>
    public bool AssumedContextWritable { get; init; }

    /// <summary>
    /// Every check dropped: every load, store and atomic treated as proven, no instruction budget,
    /// no frame clearing, the context size checked once per run. For tests of the JIT's unchecked
    /// code paths only; programs the verifier accepted get options from its proofs
    /// (<c>Verifier.VerifiedProgram.JitOptionsFor</c>), which drop only what was proven.
    /// </summary>
    public static JitOptions WithoutChecks(BpfProgram program, int contextSize, bool contextWritable = false) => new()
    {
        ProvenSafeAccesses = MemoryAccesses(program.Instructions),
        EnforceInstructionBudget = false,
        StackReadsProvenInitialized = true,
        AssumedContextSize = contextSize,
        AssumedContextWritable = contextWritable,
    };

    /// <summary>Indices of every load, store and atomic (not the second slot of an lddw).</summary>
    public static HashSet<int> MemoryAccesses(Isa.Instruction[] code)
    {
        var accesses = new HashSet<int>();
        for (int i = 0; i < code.Length; i++)
        {
            if (code[i].IsLoadImm64) { i++; continue; }
            if (code[i].Class is Isa.OpClass.Ldx or Isa.OpClass.St or Isa.OpClass.Stx) accesses.Add(i);
        }
        return accesses;
    }

    public bool IsProvenSafe(int instructionIndex) => ProvenSafeAccesses?.Contains(instructionIndex) == true;
}
