using System.Numerics;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Rejects programs that may read a register before writing it, as the kernel's verifier does
/// ("R0 !read_ok"). A forward must-be-initialized dataflow over the control-flow graph, one
/// function at a time: a function starts with r1..r5 (the run's or the caller's arguments) and r10;
/// a call leaves r0 set and r1..r5 undefined; exit reads r0. It is path-insensitive, so it only
/// accepts programs where every path initialises what it reads.
/// </summary>
internal static class RegisterInitializationCheck
{
    private const ushort Arguments = 0b11111 << 1;       // r1..r5
    private const ushort FramePointer = 1 << 10;
    private const ushort EntryState = Arguments | FramePointer;
    private const ushort AllRegisters = 0x7ff;

    public static BpfError? Validate(BpfProgram program, bool[] secondSlot)
    {
        var code = program.Instructions;
        int n = code.Length;
        var entries = new List<int> { 0 };
        for (int i = 0; i < n; i++)
        {
            if (secondSlot[i]) continue;
            if (code[i].IsLocalCall) entries.Add(i + 1 + code[i].Imm);
            else if (code[i].IsLoadImm64 && code[i].Src == LoadImmSource.Func) entries.Add(i + 1 + code[i].Imm);
        }

        // in[i]: registers initialised on every path reaching i; AllRegisters means "not reached yet".
        var state = new ushort[n];
        var reached = new bool[n];
        var work = new Stack<int>();
        foreach (int entry in entries.Distinct())
        {
            if (reached[entry]) continue; // already inside another function's flow; the stricter state wins
            state[entry] = EntryState;
            reached[entry] = true;
            work.Push(entry);
        }

        while (work.Count > 0)
        {
            int i = work.Pop();
            var insn = code[i];
            ushort current = state[i];
            ushort reads = Reads(program, insn);
            ushort missing = (ushort)(reads & ~current);
            if (missing != 0)
            {
                int register = BitOperations.TrailingZeroCount(missing);
                return BpfError.At(i, $"r{register} is read before it is written on some path to this instruction");
            }
            ushort after = Transfer(insn, current);
            foreach (int next in Successors(insn, i))
            {
                if ((uint)next >= (uint)n) continue; // ProgramChecks reports targets outside the program
                ushort merged = reached[next] ? (ushort)(state[next] & after) : after;
                if (!reached[next] || merged != state[next])
                {
                    reached[next] = true;
                    state[next] = merged;
                    work.Push(next);
                }
            }
        }
        return null;
    }

    private static ushort Bit(int register) => (ushort)(1 << register);

    private static ushort Reads(BpfProgram program, Instruction insn)
    {
        switch (insn.Class)
        {
            case OpClass.Alu or OpClass.Alu64:
                {
                    ushort src = insn.UsesSrcRegister ? Bit(insn.Src) : (ushort)0;
                    return insn.AluOp == AluOp.Mov ? src : (ushort)(src | Bit(insn.Dst));
                }
            case OpClass.Ldx:
                return Bit(insn.Src);
            case OpClass.St:
                return Bit(insn.Dst);
            case OpClass.Stx:
                {
                    ushort r = (ushort)(Bit(insn.Dst) | Bit(insn.Src));
                    return insn.MemMode == MemMode.Atomic && insn.Imm == AtomicOp.CmpXchg ? (ushort)(r | 1) : r;
                }
            case OpClass.Ld:
                return 0;
            default:
                if (insn.IsExit) return 1;
                if (insn.IsCallx) return Bit(insn.Dst);
                if (insn.IsHelperCall)
                {
                    // Only the arguments the helper's prototype uses must be set.
                    int count = program.Helpers.Find(insn.Imm)?.Prototype.Args.Count(a => a != Helpers.HelperArg.None) ?? 0;
                    return (ushort)(((1 << count) - 1) << 1);
                }
                if (insn.IsCall || insn.JmpOp == JmpOp.Ja) return 0;
                return insn.UsesSrcRegister ? (ushort)(Bit(insn.Dst) | Bit(insn.Src)) : Bit(insn.Dst);
        }
    }

    private static ushort Transfer(Instruction insn, ushort state)
    {
        switch (insn.Class)
        {
            case OpClass.Alu or OpClass.Alu64 or OpClass.Ldx:
                return (ushort)(state | Bit(insn.Dst));
            case OpClass.Ld:
                return insn.IsLoadImm64 ? (ushort)(state | Bit(insn.Dst)) : state;
            case OpClass.Stx when insn.MemMode == MemMode.Atomic:
                if (insn.Imm == AtomicOp.CmpXchg) return (ushort)(state | 1);
                return (insn.Imm & AtomicOp.Fetch) != 0 ? (ushort)(state | Bit(insn.Src)) : state;
            case OpClass.Jmp when insn.IsCall || insn.IsCallx:
                return (ushort)((state & ~Arguments) | 1);
            default:
                return state;
        }
    }

    private static IEnumerable<int> Successors(Instruction insn, int i)
    {
        if (insn.IsExit) yield break;
        if (insn.IsLoadImm64) { yield return i + 2; yield break; }
        if (insn.Opcode == Opcodes.Ja) { yield return i + 1 + insn.Offset; yield break; }
        if (insn.Opcode == Opcodes.Ja32) { yield return i + 1 + insn.Imm; yield break; }
        yield return i + 1;
        if (insn.IsConditionalJump) yield return i + 1 + insn.Offset;
    }
}
