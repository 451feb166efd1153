namespace SeccompEbpf.Bpf.Isa;

/// <summary>
/// Short human names for opcodes in error messages, e.g. "add32 (0x04, immediate)" or
/// "ldxdw (0x79)". Unknown encodings are named by class only.
/// </summary>
public static class OpcodeNames
{
    private static readonly string[] AluNames =
        ["add", "sub", "mul", "div", "or", "and", "lsh", "rsh", "neg", "mod", "xor", "mov", "arsh", "end"];
    private static readonly string[] JumpNames =
        ["ja", "jeq", "jgt", "jge", "jset", "jne", "jsgt", "jsge", "call", "exit", "jlt", "jle", "jslt", "jsle"];

    public static string Describe(byte opcode)
    {
        var insn = new Instruction(opcode, 0, 0, 0, 0);
        string hex = $"0x{opcode:x2}";
        string source = insn.UsesSrcRegister ? "register" : "immediate";
        switch (insn.Class)
        {
            case OpClass.Alu or OpClass.Alu64:
                int alu = (opcode & 0xf0) >> 4;
                if (alu >= AluNames.Length) return $"unknown ALU operation ({hex})";
                return $"{AluNames[alu]}{(insn.Class == OpClass.Alu ? "32" : "")} ({hex}, {source})";
            case OpClass.Jmp or OpClass.Jmp32:
                int jmp = (opcode & 0xf0) >> 4;
                if (jmp >= JumpNames.Length) return $"unknown jump operation ({hex})";
                string name = opcode switch
                {
                    Opcodes.Ja32 => "gotol",
                    Opcodes.Callx => "callx",
                    _ => JumpNames[jmp] + (insn.Class == OpClass.Jmp32 ? "32" : ""),
                };
                return insn.IsConditionalJump ? $"{name} ({hex}, {source})" : $"{name} ({hex})";
            case OpClass.Ld:
                return opcode == Opcodes.LdDw ? $"lddw ({hex})" : $"LD-class load ({hex})";
            default:
                string size = insn.MemSize switch { MemSize.B => "b", MemSize.H => "h", MemSize.W => "w", _ => "dw" };
                string prefix = insn.Class switch
                {
                    OpClass.Ldx when insn.MemMode == MemMode.MemSx => "ldxs",
                    OpClass.Ldx => "ldx",
                    OpClass.St => "st",
                    _ when insn.MemMode == MemMode.Atomic => "atomic ",
                    _ => "stx",
                };
                return $"{prefix}{size} ({hex})";
        }
    }
}
