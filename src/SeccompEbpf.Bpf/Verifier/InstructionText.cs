using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>The instruction at an index of a program in LLVM syntax, for verifier messages (the shared formatter; "" past the end).</summary>
public static class InstructionText
{
    public static string Format(IReadOnlyList<Instruction> program, int index)
    {
        if (index < 0 || index >= program.Count) return "";
        var insn = program[index];
        Instruction? next = insn.IsLoadImm64 && index + 1 < program.Count ? program[index + 1] : null;
        return InstructionFormatter.Format(insn, next);
    }
}
