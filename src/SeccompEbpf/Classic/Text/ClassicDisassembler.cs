using System.Text;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Classic.Text;

/// <summary>
/// Prints classic BPF in bpf_asm syntax: as a listing with absolute jump targets like
/// <c>tcpdump -d</c> (<c>(001) jeq #0x3b jt 2 jf 3</c>), annotated with seccomp_data fields and
/// action names, or as source that <see cref="ClassicAssembler"/> reads back to the same program.
/// </summary>
public static class ClassicDisassembler
{
    /// <summary>The instruction without its jump targets, e.g. <c>ld [0]</c>, <c>jeq #0x3b</c>, <c>ret #0x7fff0000</c>.</summary>
    public static string Mnemonic(ClassicInstruction ins) => ins.Code switch
    {
        LdImm => $"ld #0x{ins.K:x}",
        LdLen => "ld #len",
        LdAbsW => $"ld [{ins.K}]",
        LdAbsH => $"ldh [{ins.K}]",
        LdAbsB => $"ldb [{ins.K}]",
        LdIndW => $"ld [x + {ins.K}]",
        LdIndH => $"ldh [x + {ins.K}]",
        LdIndB => $"ldb [x + {ins.K}]",
        LdMem => $"ld M[{ins.K}]",
        LdxImm => $"ldx #0x{ins.K:x}",
        LdxLen => "ldx #len",
        LdxMem => $"ldx M[{ins.K}]",
        LdxMshB => $"ldxb 4*([{ins.K}]&0xf)",
        St => $"st M[{ins.K}]",
        Stx => $"stx M[{ins.K}]",
        Tax => "tax",
        Txa => "txa",
        Neg => "neg",
        RetK => $"ret #0x{ins.K:x}",
        RetA => "ret a",
        0x0e => "ret x",
        Ja => $"ja {ins.K}",
        _ when (ins.Code & 0x07) == ClassicInstruction.Alu && AluName(ins.Code) is { } alu =>
            (ins.Code & 0x08) != 0 ? $"{alu} x" : $"{alu} #0x{ins.K:x}",
        _ when IsConditionalJump(ins.Code) =>
            $"{JumpName(ins.Code)} {((ins.Code & 0x08) != 0 ? "x" : $"#0x{ins.K:x}")}",
        _ => RawMnemonic(ins),
    };

    /// <summary>One listing line body: the mnemonic plus absolute targets (<c>jt 2 jf 3</c>, <c>ja 5</c>).</summary>
    public static string Format(ClassicInstruction ins, int index) => ins.Code switch
    {
        Ja => $"ja {index + 1 + (long)ins.K}",
        _ when IsConditionalJump(ins.Code) => $"{Mnemonic(ins)} jt {index + 1 + ins.Jt} jf {index + 1 + ins.Jf}",
        _ => Mnemonic(ins),
    };

    /// <summary>A <c>tcpdump -d</c> style listing; with <paramref name="annotate"/> seccomp_data field names and action names follow as comments.</summary>
    public static string ToListing(IReadOnlyList<ClassicInstruction> program, bool annotate = true)
    {
        var text = new StringBuilder();
        for (int i = 0; i < program.Count; i++)
        {
            var line = $"({i:000}) {Format(program[i], i)}";
            var note = annotate ? Annotation(program[i]) : null;
            text.Append(note is null ? line : $"{line,-36} ; {note}").Append('\n');
        }
        return text.ToString();
    }

    /// <summary>bpf_asm source with labels <c>L&lt;n&gt;</c> at jump targets; assembles back to the same instructions.</summary>
    public static string ToSource(IReadOnlyList<ClassicInstruction> program)
    {
        var targets = new HashSet<long>();
        for (int i = 0; i < program.Count; i++)
        {
            var ins = program[i];
            if (ins.Code == Ja) targets.Add(i + 1 + (long)ins.K);
            else if (IsConditionalJump(ins.Code)) { targets.Add(i + 1 + ins.Jt); targets.Add(i + 1 + ins.Jf); }
        }
        var text = new StringBuilder();
        for (int i = 0; i < program.Count; i++)
        {
            var ins = program[i];
            if (targets.Contains(i)) text.Append($"L{i}:\n");
            string body = !RoundTrips(ins) ? RawMnemonic(ins) : ins.Code switch
            {
                // Targets past the end cannot be labels; keep them as relative numbers.
                Ja => $"ja {Target(i, ins.K, program.Count)}",
                _ when IsConditionalJump(ins.Code) =>
                    $"{Mnemonic(ins)}, {Target(i, ins.Jt, program.Count)}, {Target(i, ins.Jf, program.Count)}",
                _ => Mnemonic(ins),
            };
            text.Append('\t').Append(body).Append('\n');
        }
        return text.ToString();
    }

    private static string RawMnemonic(ClassicInstruction ins) => $".insn 0x{ins.Code:x}, {ins.Jt}, {ins.Jf}, 0x{ins.K:x}";

    // Text loses fields an instruction does not use (jt/jf outside conditional jumps, k where
    // the operand is x, a or #len); such instructions are written as .insn to stay exact.
    private static bool RoundTrips(ClassicInstruction ins)
    {
        if (!IsConditionalJump(ins.Code) && (ins.Jt | ins.Jf) != 0) return false;
        bool usesK = ins.Code switch
        {
            LdLen or LdxLen or Tax or Txa or Neg or RetA or 0x0e => false,
            _ when (ins.Code & 0x07) is ClassicInstruction.Alu or ClassicInstruction.Jmp => (ins.Code & 0x08) == 0,
            _ => true,
        };
        return usesK || ins.K == 0;
    }

    private static string Target(int index, uint offset, int count) =>
        index + 1 + (long)offset < count ? $"L{index + 1 + (long)offset}" : offset.ToString();

    private static string? Annotation(ClassicInstruction ins) => ins.Code switch
    {
        LdAbsW => FieldName(ins.K),
        RetK => new SeccompAction(ins.K).ToString(),
        _ => null,
    };

    /// <summary>The seccomp_data word at <paramref name="offset"/>, e.g. <c>args[2] (high)</c>.</summary>
    public static string? FieldName(uint offset) => offset switch
    {
        SeccompData.NrOffset => "nr",
        SeccompData.ArchOffset => "arch",
        SeccompData.InstructionPointerOffset => "instruction_pointer (low)",
        SeccompData.InstructionPointerOffset + 4 => "instruction_pointer (high)",
        >= SeccompData.ArgsOffset and < SeccompData.Size when offset % 4 == 0 =>
            $"args[{(offset - SeccompData.ArgsOffset) / 8}] ({((offset & 4) == 0 ? "low" : "high")})",
        _ => null,
    };

    private static string? AluName(ushort code) => (code & 0xf0) switch
    {
        ClassicInstruction.Add => "add",
        ClassicInstruction.Sub => "sub",
        ClassicInstruction.Mul => "mul",
        ClassicInstruction.Div => "div",
        ClassicInstruction.Or => "or",
        ClassicInstruction.And => "and",
        ClassicInstruction.Lsh => "lsh",
        ClassicInstruction.Rsh => "rsh",
        ClassicInstruction.Mod => "mod",
        ClassicInstruction.Xor => "xor",
        _ => null,
    } is { } name && (code & ~0xf8) == ClassicInstruction.Alu && (code >> 8) == 0 ? name : null;

    private static string JumpName(ushort code) => (code & 0xf0) switch
    {
        ClassicInstruction.Jeq => "jeq",
        ClassicInstruction.Jgt => "jgt",
        ClassicInstruction.Jge => "jge",
        _ => "jset",
    };
}
