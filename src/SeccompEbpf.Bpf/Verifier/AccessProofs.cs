using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Collects, per memory-access instruction, whether every abstract state that reached it was
/// proven in bounds with the right access kind. An instruction is proven only when it was reached
/// at least once and no visit fell short; pruned paths need no visit of their own because the
/// state that covers them was checked at the same instructions.
/// </summary>
internal sealed class AccessProofRecorder(int programLength)
{
    private enum Outcome : byte { NotReached, Proven, Unproven }

    private readonly Outcome[] _outcome = new Outcome[programLength];

    /// <summary>The largest context offset + size a proven context read touches (0: none).</summary>
    public int ContextBytesRead { get; private set; }

    public void Record(int pc, bool proven)
    {
        if (!proven) _outcome[pc] = Outcome.Unproven;
        else if (_outcome[pc] == Outcome.NotReached) _outcome[pc] = Outcome.Proven;
    }

    public void RecordContextRead(int pc, int end)
    {
        Record(pc, proven: true);
        ContextBytesRead = Math.Max(ContextBytesRead, end);
    }

    public AccessProofs Build(IReadOnlyList<Instruction> program)
    {
        var proven = new SortedSet<int>();
        int accesses = 0, unproven = 0;
        for (int pc = 0; pc < program.Count; pc++)
        {
            if (!IsMemoryAccess(program[pc])) continue;
            accesses++;
            switch (_outcome[pc])
            {
                case Outcome.Proven: proven.Add(pc); break;
                case Outcome.Unproven: unproven++; break;
            }
        }
        return new AccessProofs(proven, accesses, unproven, ContextBytesRead);
    }

    /// <summary>Loads, stores and atomics (BPF_LDX, BPF_ST, BPF_STX): the instructions a JIT checks.</summary>
    public static bool IsMemoryAccess(Instruction insn) => insn.Class is OpClass.Ldx or OpClass.St or OpClass.Stx;
}

/// <summary>
/// What verification proved about the program's memory accesses, for an engine that wants to drop
/// run-time checks (<c>JitOptions.ProvenSafeAccesses</c>).
/// </summary>
/// <param name="ProvenSafe">Indices of loads, stores and atomics proven in bounds on every path that reaches them.</param>
/// <param name="MemoryAccesses">All loads, stores and atomics in the program.</param>
/// <param name="Unproven">Accesses reached on some path without a proof (context writes: the context's writability is up to each run).</param>
/// <param name="ContextBytesRead">
/// How many context bytes the proven context reads need: a run must pass R1 pointing to at least this many readable bytes.
/// </param>
public sealed record AccessProofs(IReadOnlySet<int> ProvenSafe, int MemoryAccesses, int Unproven, int ContextBytesRead)
{
    public static AccessProofs None { get; } = new(new SortedSet<int>(), 0, 0, 0);

    /// <summary>Accesses never reached by any path the verifier explored (dead code): left checked.</summary>
    public int NotReached => MemoryAccesses - ProvenSafe.Count - Unproven;
}
