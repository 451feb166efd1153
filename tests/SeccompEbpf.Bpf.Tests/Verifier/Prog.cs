using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>A tiny instruction builder for verifier tests (kept local until the assembler is merged).</summary>
internal static class I
{
    public const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;

    public static Instruction Alu64(AluOp op, byte dst, int imm) => new(Opcodes.Alu(OpClass.Alu64, op, false), dst, 0, 0, imm);
    public static Instruction Alu64R(AluOp op, byte dst, byte src) => new(Opcodes.Alu(OpClass.Alu64, op, true), dst, src, 0, 0);
    public static Instruction Alu32(AluOp op, byte dst, int imm) => new(Opcodes.Alu(OpClass.Alu, op, false), dst, 0, 0, imm);
    public static Instruction Alu32R(AluOp op, byte dst, byte src) => new(Opcodes.Alu(OpClass.Alu, op, true), dst, src, 0, 0);
    public static Instruction Mov(byte dst, int imm) => Alu64(AluOp.Mov, dst, imm);
    public static Instruction MovR(byte dst, byte src) => Alu64R(AluOp.Mov, dst, src);
    public static Instruction Mov32R(byte dst, byte src) => Alu32R(AluOp.Mov, dst, src);
    public static Instruction Add(byte dst, int imm) => Alu64(AluOp.Add, dst, imm);
    public static Instruction AddR(byte dst, byte src) => Alu64R(AluOp.Add, dst, src);
    public static Instruction And(byte dst, int imm) => Alu64(AluOp.And, dst, imm);

    public static Instruction Ldx(MemSize size, byte dst, byte src, short off) => new(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, size), dst, src, off, 0);
    public static Instruction St(MemSize size, byte dst, short off, int imm) => new(Opcodes.Mem(OpClass.St, MemMode.Mem, size), dst, 0, off, imm);
    public static Instruction Stx(MemSize size, byte dst, short off, byte src) => new(Opcodes.Mem(OpClass.Stx, MemMode.Mem, size), dst, src, off, 0);
    public static Instruction Atomic(MemSize size, byte dst, short off, byte src, int op) => new(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), dst, src, off, op);

    public static Instruction J(JmpOp op, byte dst, int imm, short off) => new(Opcodes.Jump(OpClass.Jmp, op, false), dst, 0, off, imm);
    public static Instruction JR(JmpOp op, byte dst, byte src, short off) => new(Opcodes.Jump(OpClass.Jmp, op, true), dst, src, off, 0);
    public static Instruction J32(JmpOp op, byte dst, int imm, short off) => new(Opcodes.Jump(OpClass.Jmp32, op, false), dst, 0, off, imm);
    public static Instruction Ja(short off) => new(Opcodes.Ja, 0, 0, off, 0);
    public static Instruction Call(int helper) => new(Opcodes.Call, 0, 0, 0, helper);
    public static Instruction CallLocal(int rel) => new(Opcodes.Call, 0, CallSource.Local, 0, rel);
    public static Instruction Exit() => new(Opcodes.Exit, 0, 0, 0, 0);

    public static Instruction[] LdImm64(byte dst, ulong v) { var (a, b) = Instruction.LoadImm64(dst, v); return [a, b]; }
    public static Instruction[] LdMap(byte dst, int map) { var (a, b) = Instruction.LoadImm64(dst, (uint)map, LoadImmSource.MapFd); return [a, b]; }
    public static Instruction[] LdMapValue(byte dst, int map, int off) =>
        [new Instruction(Opcodes.LdDw, dst, LoadImmSource.MapValue, 0, map), new Instruction(0, 0, 0, 0, off)];

    /// <summary>Flattens instructions and instruction pairs into a program.</summary>
    public static Instruction[] P(params object[] parts)
    {
        var list = new List<Instruction>();
        void Add(object p)
        {
            if (p is Instruction i) list.Add(i);
            else if (p is Instruction[] many) list.AddRange(many);
            else if (p is object[] nested) foreach (var n in nested) Add(n);
            else throw new ArgumentException($"not an instruction: {p}");
        }
        foreach (var p in parts) Add(p);
        return list.ToArray();
    }
}
