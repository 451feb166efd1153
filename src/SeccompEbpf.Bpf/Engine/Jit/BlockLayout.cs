using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The basic blocks of a validated program, as the JIT's instruction counting needs them: a block
/// starts at a function entry, a jump target, or after a jump, call or exit; it ends at the next
/// such point. Calls end blocks so that the count is exact whenever a helper or callee observes it.
/// </summary>
internal sealed class BlockLayout
{
    private BlockLayout(bool[] leaders, bool[] secondSlot, int[] entries)
    {
        IsLeader = leaders;
        IsSecondSlot = secondSlot;
        Entries = entries;
    }

    /// <summary>True where a block starts.</summary>
    public bool[] IsLeader { get; }

    /// <summary>True for the second slot of an lddw (not an instruction of its own).</summary>
    public bool[] IsSecondSlot { get; }

    /// <summary>Instruction indices where a function may be entered: 0, local-call targets, lddw src=func targets.</summary>
    public int[] Entries { get; }

    public static BlockLayout Of(Instruction[] code, IEnumerable<int>? additionalEntries = null)
    {
        int n = code.Length;
        var leaders = new bool[n + 1];
        var second = new bool[n + 1];
        var entries = new SortedSet<int>(additionalEntries ?? []) { 0 };
        leaders[0] = true;
        for (int i = 0; i < n; i++)
        {
            var insn = code[i];
            if (insn.IsLoadImm64)
            {
                second[i + 1] = true;
                if (insn.Src == LoadImmSource.Func) entries.Add(i + 1 + insn.Imm);
                i++;
                continue;
            }
            if (!insn.IsJump) continue;
            leaders[i + 1] = true;
            if (insn.IsLocalCall) entries.Add(i + 1 + insn.Imm);
            else if (insn.Opcode == Opcodes.Ja32) leaders[i + 1 + insn.Imm] = true;
            else if (!insn.IsCall && !insn.IsCallx && !insn.IsExit) leaders[i + 1 + insn.Offset] = true;
        }
        foreach (int e in entries) leaders[e] = true;
        return new BlockLayout(leaders, second, entries.ToArray());
    }

    /// <summary>Instructions executed from <paramref name="start"/> to the end of its block (an lddw counts once).</summary>
    public int CountFrom(int start)
    {
        int count = 0;
        for (int i = start; i < IsLeader.Length - 1; i++)
        {
            if (i != start && IsLeader[i]) break;
            if (!IsSecondSlot[i]) count++;
        }
        return count;
    }

    /// <summary>The index of the <paramref name="ordinal"/>-th instruction (0-based) executed in the block at <paramref name="start"/>.</summary>
    public int NthInstruction(int start, long ordinal)
    {
        int i = start;
        for (long k = 0; ; i++)
        {
            if (IsSecondSlot[i]) continue;
            if (k == ordinal) return i;
            k++;
        }
    }
}
