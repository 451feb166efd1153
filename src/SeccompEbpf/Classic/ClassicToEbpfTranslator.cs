using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Classic;

/// <summary>
/// An eBPF program equivalent to a checked classic filter, and where each classic instruction
/// starts in it (<see cref="StartOf"/>[classic index] = eBPF index).
/// </summary>
public sealed record ClassicTranslation(Instruction[] Instructions, int[] StartOf);

/// <summary>
/// Translates a checked classic seccomp filter to eBPF with the same meaning, as the kernel
/// does before running it, so one engine runs both kinds of filter. Register use: A is r0 (so
/// <c>ret a</c> is just <c>exit</c>), X is r7, the context pointer (r1 on entry) is kept in r6,
/// scratch word M[k] lives at r10 - 4*(16 - k). All arithmetic and comparisons are 32-bit
/// (ALU32/JMP32), loads of seccomp_data are 32-bit context loads, and a division by X = 0
/// returns 0 as in the kernel.
/// </summary>
public static class ClassicToEbpfTranslator
{
    private const byte A = 0, Ctx = 6, X = 7, Fp = 10, Arg1 = 1;

    public static ClassicTranslation Translate(ClassicProgram program)
    {
        var code = program.AsSpan();
        var startOf = new int[code.Length + 1];
        startOf[0] = Prologue().Length;
        for (int i = 0; i < code.Length; i++)
            startOf[i + 1] = startOf[i] + Emit(code[i], i, null, startOf).Count;

        var output = new List<Instruction>(startOf[^1]);
        output.AddRange(Prologue());
        for (int i = 0; i < code.Length; i++)
            output.AddRange(Emit(code[i], i, output, startOf));
        return new ClassicTranslation([.. output], startOf[..^1]);
    }

    // Classic A and X start at 0.
    private static Instruction[] Prologue() =>
    [
        new(Op(OpClass.Alu64, AluOp.Mov, true), Ctx, Arg1, 0, 0),
        new(Op(OpClass.Alu, AluOp.Mov, false), A, 0, 0, 0),
        new(Op(OpClass.Alu, AluOp.Mov, false), X, 0, 0, 0),
    ];

    /// <summary>The eBPF for one classic instruction. With <paramref name="output"/> null only the count matters (first pass).</summary>
    private static List<Instruction> Emit(ClassicInstruction ins, int index, List<Instruction>? output, int[] startOf)
    {
        int here = output?.Count ?? 0;
        var list = new List<Instruction>(3);
        short OffsetTo(int classicTarget, int emittedBefore) =>
            output is null ? (short)0 : checked((short)(startOf[classicTarget] - (here + emittedBefore + 1)));
        int imm = (int)ins.K;
        switch (ins.Code)
        {
            case LdImm: list.Add(MovImm(A, imm)); break;
            case LdxImm: list.Add(MovImm(X, imm)); break;
            case LdLen: list.Add(MovImm(A, Model.SeccompData.Size)); break;
            case LdxLen: list.Add(MovImm(X, Model.SeccompData.Size)); break;
            case LdAbsW: list.Add(new(Mem(OpClass.Ldx), A, Ctx, checked((short)ins.K), 0)); break;
            case LdMem: list.Add(new(Mem(OpClass.Ldx), A, Fp, ScratchOffset(ins.K), 0)); break;
            case LdxMem: list.Add(new(Mem(OpClass.Ldx), X, Fp, ScratchOffset(ins.K), 0)); break;
            case St: list.Add(new(Mem(OpClass.Stx), Fp, A, ScratchOffset(ins.K), 0)); break;
            case Stx: list.Add(new(Mem(OpClass.Stx), Fp, X, ScratchOffset(ins.K), 0)); break;
            case Tax: list.Add(new(Op(OpClass.Alu, AluOp.Mov, true), X, A, 0, 0)); break;
            case Txa: list.Add(new(Op(OpClass.Alu, AluOp.Mov, true), A, X, 0, 0)); break;
            case Neg: list.Add(new(Op(OpClass.Alu, AluOp.Neg, false), A, 0, 0, 0)); break;
            case DivX or ModX:
                // if (X != 0) skip the early "return 0"
                list.Add(new(Op(OpClass.Jmp32, JmpOp.Jne, false), X, 0, 2, 0));
                list.Add(MovImm(A, 0));
                list.Add(new(Opcodes.Exit, 0, 0, 0, 0));
                list.Add(new(Op(OpClass.Alu, (AluOp)(ins.Code & 0xf0), true), A, X, 0, 0));
                break;
            case RetK:
                list.Add(MovImm(A, imm));
                list.Add(new(Opcodes.Exit, 0, 0, 0, 0));
                break;
            case RetA: list.Add(new(Opcodes.Exit, 0, 0, 0, 0)); break;
            case Ja: list.Add(new(Opcodes.Ja, 0, 0, OffsetTo(index + 1 + (int)ins.K, 0), 0)); break;
            case var c when (c & 0x07) == ClassicInstruction.Alu:
                bool fromX = (c & 0x08) != 0;
                list.Add(new(Op(OpClass.Alu, (AluOp)(c & 0xf0), fromX), A, fromX ? X : (byte)0, 0, fromX ? 0 : imm));
                break;
            case var c when IsConditionalJump(c):
                EmitConditional(ins, index, list, OffsetTo);
                break;
            default:
                throw new InvalidOperationException($"instruction {index}: opcode 0x{ins.Code:x2} cannot be in a checked seccomp filter");
        }
        return list;
    }

    // One eBPF branch for the true target, plus a ja for the false target unless it falls through.
    // When only the false target jumps, the opposite condition (if eBPF has one) saves the ja.
    private static void EmitConditional(ClassicInstruction ins, int index, List<Instruction> list, Func<int, int, short> offsetTo)
    {
        bool fromX = (ins.Code & 0x08) != 0;
        var op = (JmpOp)(ins.Code & 0xf0);
        byte src = fromX ? X : (byte)0;
        int imm = fromX ? 0 : (int)ins.K;
        if (ins.Jt == ins.Jf)
        {
            if (ins.Jt != 0) list.Add(new(Opcodes.Ja, 0, 0, offsetTo(index + 1 + ins.Jt, 0), 0));
            return;
        }
        if (ins.Jt == 0 && Opposite(op) is { } inverse)
        {
            list.Add(new(Op(OpClass.Jmp32, inverse, fromX), A, src, offsetTo(index + 1 + ins.Jf, 0), imm));
            return;
        }
        list.Add(new(Op(OpClass.Jmp32, op, fromX), A, src, offsetTo(index + 1 + ins.Jt, 0), imm));
        if (ins.Jf != 0) list.Add(new(Opcodes.Ja, 0, 0, offsetTo(index + 1 + ins.Jf, 1), 0));
    }

    private static JmpOp? Opposite(JmpOp op) => op switch
    {
        JmpOp.Jeq => JmpOp.Jne,
        JmpOp.Jgt => JmpOp.Jle,
        JmpOp.Jge => JmpOp.Jlt,
        _ => null, // jset has no negation in eBPF
    };

    private static short ScratchOffset(uint k) => (short)(-4 * (ClassicInstruction.ScratchWords - (int)k));

    private static Instruction MovImm(byte reg, int value) => new(Op(OpClass.Alu, AluOp.Mov, false), reg, 0, 0, value);

    private static byte Op(OpClass cls, AluOp op, bool fromRegister) => (byte)((byte)cls | (byte)op | (fromRegister ? Opcodes.SourceReg : 0));

    private static byte Op(OpClass cls, JmpOp op, bool fromRegister) => (byte)((byte)cls | (byte)op | (fromRegister ? Opcodes.SourceReg : 0));

    private static byte Mem(OpClass cls) => (byte)((byte)cls | (byte)MemMode.Mem | (byte)MemSize.W);
}
