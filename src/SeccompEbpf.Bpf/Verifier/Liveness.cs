using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Classic backward liveness of registers. States stored for pruning forget dead registers, so
/// that paths differing only in values nobody reads again are recognised as equivalent.
/// </summary>
internal static class Liveness
{
    private const ushort CallerSaved = 0b111110;      // r1..r5
    private const ushort CallClobbered = 0b111111;    // r0..r5

    public static ushort[] Compute(IReadOnlyList<Instruction> prog, bool[] secondSlot)
    {
        int n = prog.Count;
        var use = new ushort[n];
        var def = new ushort[n];
        var succ = new int[n][];
        for (int i = 0; i < n; i++)
        {
            if (secondSlot[i]) { succ[i] = []; continue; }
            (use[i], def[i]) = UseDef(prog[i]);
            succ[i] = Successors(prog, i);
        }
        var liveIn = new ushort[n];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = n - 1; i >= 0; i--)
            {
                if (secondSlot[i]) continue;
                ushort outSet = 0;
                foreach (var s in succ[i]) outSet |= liveIn[s];
                var inSet = (ushort)(use[i] | (outSet & ~def[i]) | (1 << 10));
                if (inSet != liveIn[i]) { liveIn[i] = inSet; changed = true; }
            }
        }
        return liveIn;
    }

    private static int[] Successors(IReadOnlyList<Instruction> prog, int i)
    {
        var insn = prog[i];
        int next = i + (insn.IsLoadImm64 ? 2 : 1);
        if (insn.IsExit) return [];
        if (insn.IsJump && insn.JmpOp == JmpOp.Ja)
            return [i + 1 + (insn.Class == OpClass.Jmp32 ? insn.Imm : insn.Offset)];
        var list = new List<int>(2);
        if (insn.IsConditionalJump) list.Add(i + 1 + insn.Offset);
        if (next < prog.Count) list.Add(next);
        return list.Where(t => t >= 0 && t < prog.Count).ToArray();
    }

    private static ushort Bit(int r) => (ushort)(1 << r);

    private static (ushort Use, ushort Def) UseDef(Instruction insn)
    {
        switch (insn.Class)
        {
            case OpClass.Alu:
            case OpClass.Alu64:
                if (insn.AluOp == AluOp.Mov)
                    return (insn.UsesSrcRegister ? Bit(insn.Src) : (ushort)0, Bit(insn.Dst));
                return ((ushort)(Bit(insn.Dst) | (insn.UsesSrcRegister && insn.AluOp is not (AluOp.Neg or AluOp.End) ? Bit(insn.Src) : 0)), Bit(insn.Dst));
            case OpClass.Ldx:
                return (Bit(insn.Src), Bit(insn.Dst));
            case OpClass.St:
                return (Bit(insn.Dst), 0);
            case OpClass.Stx:
                if (insn.MemMode == MemMode.Atomic)
                {
                    if (insn.Imm == AtomicOp.CmpXchg) return ((ushort)(Bit(insn.Dst) | Bit(insn.Src) | 1), 1);
                    return ((ushort)(Bit(insn.Dst) | Bit(insn.Src)), (insn.Imm & AtomicOp.Fetch) != 0 ? Bit(insn.Src) : (ushort)0);
                }
                return ((ushort)(Bit(insn.Dst) | Bit(insn.Src)), 0);
            case OpClass.Ld:
                if (insn.IsLoadImm64) return (0, Bit(insn.Dst));
                return ((ushort)(Bit(6) | (insn.MemMode == MemMode.Ind ? Bit(insn.Src) : 0)), CallClobbered);
            case OpClass.Jmp:
            case OpClass.Jmp32:
                if (insn.IsExit) return (1, 0);
                if (insn.IsCall) return (CallerSaved, CallClobbered);
                if (insn.JmpOp == JmpOp.Ja) return (0, 0);
                return ((ushort)(Bit(insn.Dst) | (insn.UsesSrcRegister ? Bit(insn.Src) : 0)), 0);
        }
        return (0, 0);
    }
}
