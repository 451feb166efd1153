using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Engine;

/// <summary>Terse instruction builders for engine tests (the assembler lives elsewhere; these keep tests independent of it).</summary>
internal static class I
{
    public static Instruction Alu64(AluOp op, byte dst, int imm, short off = 0) => new(Opcodes.Alu(OpClass.Alu64, op, false), dst, 0, off, imm);
    public static Instruction Alu64X(AluOp op, byte dst, byte src, short off = 0) => new(Opcodes.Alu(OpClass.Alu64, op, true), dst, src, off, 0);
    public static Instruction Alu32(AluOp op, byte dst, int imm, short off = 0) => new(Opcodes.Alu(OpClass.Alu, op, false), dst, 0, off, imm);
    public static Instruction Alu32X(AluOp op, byte dst, byte src, short off = 0) => new(Opcodes.Alu(OpClass.Alu, op, true), dst, src, off, 0);
    public static Instruction Mov(byte dst, int imm) => Alu64(AluOp.Mov, dst, imm);
    public static Instruction MovX(byte dst, byte src) => Alu64X(AluOp.Mov, dst, src);
    public static Instruction Jmp(JmpOp op, byte dst, int imm, short off) => new(Opcodes.Jump(OpClass.Jmp, op, false), dst, 0, off, imm);
    public static Instruction JmpX(JmpOp op, byte dst, byte src, short off) => new(Opcodes.Jump(OpClass.Jmp, op, true), dst, src, off, 0);
    public static Instruction Ja(short off) => new(Opcodes.Ja, 0, 0, off, 0);
    public static Instruction Ldx(MemSize size, byte dst, byte src, short off) => new(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, size), dst, src, off, 0);
    public static Instruction Stx(MemSize size, byte dst, byte src, short off) => new(Opcodes.Mem(OpClass.Stx, MemMode.Mem, size), dst, src, off, 0);
    public static Instruction St(MemSize size, byte dst, short off, int imm) => new(Opcodes.Mem(OpClass.St, MemMode.Mem, size), dst, 0, off, imm);
    public static Instruction Atomic(MemSize size, byte dst, byte src, short off, int op) => new(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), dst, src, off, op);
    public static Instruction Call(int helper) => new(Opcodes.Call, 0, CallSource.Helper, 0, helper);
    public static Instruction CallLocal(int offset) => new(Opcodes.Call, 0, CallSource.Local, 0, offset);
    public static Instruction Exit() => new(Opcodes.Exit, 0, 0, 0, 0);

    public static Instruction[] LdDw(byte dst, ulong value, byte src = LoadImmSource.Imm64)
    {
        var (lo, hi) = Instruction.LoadImm64(dst, value, src);
        return [lo, hi];
    }

    public static Instruction[] Program(params object[] parts) =>
        parts.SelectMany(p => p switch
        {
            Instruction i => [i],
            Instruction[] a => a,
            _ => throw new ArgumentException(p.ToString()),
        }).ToArray();
}
