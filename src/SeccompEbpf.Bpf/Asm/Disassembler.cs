using System.Text;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// Prints a whole program, one instruction per line, so that <see cref="Assembler"/> gives back
/// the same bytes. With labels, each code target inside the program gets a line <c>L{index}:</c>;
/// targets outside the program keep their relative distance.
/// </summary>
public static class Disassembler
{
    public static string Format(IReadOnlyList<Instruction> program, DisassemblyOptions? options = null)
    {
        var text = new StringBuilder();
        foreach (var line in Lines(program, options)) text.Append(line).Append('\n');
        return text.ToString();
    }

    public static IEnumerable<string> Lines(IReadOnlyList<Instruction> program, DisassemblyOptions? options = null)
    {
        options ??= DisassemblyOptions.Default;
        var syntax = options.Syntax == AsmSyntax.Auto ? AsmSyntax.Llvm : options.Syntax;
        var asmOptions = new AssemblerOptions { HelperIds = options.HelperIds };
        var targets = options.Labels ? FindTargets(program) : new SortedSet<int>();
        for (int i = 0; i < program.Count; i++)
        {
            if (targets.Contains(i)) yield return $"{LabelName(i)}:";
            var insn = program[i];
            Instruction? next = i + 1 < program.Count ? program[i + 1] : null;
            string? label = null;
            if (targets.Count > 0 && InstructionFormatter.HasCodeTarget(insn, out var relative) && targets.Contains((int)(i + 1 + relative)))
                label = LabelName((int)(i + 1 + relative));
            var text = InstructionFormatter.Format(insn, next, syntax, label, asmOptions);
            bool invalid = text.StartsWith(".raw");
            if (invalid && options.ExplainInvalid) text += $"  # invalid: {InstructionValidator.Check(insn, next)}";
            bool wide = insn.IsLoadImm64 && !invalid;
            yield return options.Listing ? Listing(i, wide ? [insn, next!.Value] : [insn], text) : text;
            if (wide) i++;
        }
        if (targets.Contains(program.Count)) yield return $"{LabelName(program.Count)}:";
    }

    private static string LabelName(int index) => $"L{index}";

    /// <summary>
    /// Slot indexes that some valid jump, local call or function address points at, where a line
    /// starts (the end counts too; a target inside an lddw keeps its relative distance).
    /// </summary>
    private static SortedSet<int> FindTargets(IReadOnlyList<Instruction> program)
    {
        var starts = new HashSet<int> { program.Count };
        var wanted = new List<long>();
        for (int i = 0; i < program.Count; i++)
        {
            starts.Add(i);
            var insn = program[i];
            Instruction? next = i + 1 < program.Count ? program[i + 1] : null;
            if (InstructionValidator.Check(insn, next) is not null) continue;
            if (InstructionFormatter.HasCodeTarget(insn, out var relative)) wanted.Add(i + 1 + relative);
            if (insn.IsLoadImm64) i++;
        }
        return new SortedSet<int>(wanted.Where(t => t >= 0 && t <= program.Count && starts.Contains((int)t)).Select(t => (int)t));
    }

    private static string Listing(int index, Instruction[] slots, string text)
    {
        var bytes = InstructionCodec.EncodeProgram(slots);
        return $"{index,6}:\t{string.Join(' ', bytes.Select(b => b.ToString("x2")))}\t{text}";
    }
}
