using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// The conformance suite's dialect. ALU mnemonics without a suffix (or with 64) are ALU64,
/// with 32 they are ALU; jumps with 32 are JMP32. Memory operands are <c>[%rN+OFF]</c>.
/// Jump targets are <c>+N</c>, <c>-N</c> or a label; the first <c>exit</c> is also the label "exit".
/// </summary>
internal sealed class ConformanceSyntaxParser(AssemblerOptions options) : ISyntaxParser
{
    internal static readonly Dictionary<string, AluOp> AluOps = new()
    {
        ["add"] = AluOp.Add, ["sub"] = AluOp.Sub, ["mul"] = AluOp.Mul, ["div"] = AluOp.Div,
        ["sdiv"] = AluOp.Div, ["or"] = AluOp.Or, ["and"] = AluOp.And, ["lsh"] = AluOp.Lsh,
        ["rsh"] = AluOp.Rsh, ["mod"] = AluOp.Mod, ["smod"] = AluOp.Mod, ["xor"] = AluOp.Xor,
        ["mov"] = AluOp.Mov, ["arsh"] = AluOp.Arsh,
    };

    internal static readonly Dictionary<string, JmpOp> JumpOps = new()
    {
        ["jeq"] = JmpOp.Jeq, ["jgt"] = JmpOp.Jgt, ["jge"] = JmpOp.Jge, ["jset"] = JmpOp.Jset,
        ["jne"] = JmpOp.Jne, ["jsgt"] = JmpOp.Jsgt, ["jsge"] = JmpOp.Jsge, ["jlt"] = JmpOp.Jlt,
        ["jle"] = JmpOp.Jle, ["jslt"] = JmpOp.Jslt, ["jsle"] = JmpOp.Jsle,
    };

    internal static readonly Dictionary<string, int> AtomicOps = new()
    {
        ["add"] = AtomicOp.Add, ["or"] = AtomicOp.Or, ["and"] = AtomicOp.And, ["xor"] = AtomicOp.Xor,
        ["xchg"] = AtomicOp.Xchg, ["cmpxchg"] = AtomicOp.CmpXchg,
    };

    private static readonly Dictionary<string, MemSize> Sizes = new()
    {
        ["b"] = MemSize.B, ["h"] = MemSize.H, ["w"] = MemSize.W, ["dw"] = MemSize.DW,
    };

    public AsmStatement Parse(TokenCursor c)
    {
        var mnemonicToken = c.ExpectIdentifier("an instruction mnemonic");
        var m = mnemonicToken.Text.ToLowerInvariant();
        var statement = m switch
        {
            "exit" => new AsmStatement(new Instruction(Opcodes.Exit, 0, 0, 0, 0)),
            "ja" => Jump(c, Opcodes.Ja, 0, 0, 0, wide: false),
            "ja32" or "gotol" => Jump(c, Opcodes.Ja32, 0, 0, 0, wide: true),
            "call" => Call(c),
            "lddw" => LoadImm64(c),
            "lock" => Atomic(c),
            _ => null,
        } ?? ParseFamily(c, m) ?? throw TokenCursor.Fail(mnemonicToken, "an instruction mnemonic");
        c.ExpectEnd();
        return statement;
    }

    private AsmStatement? ParseFamily(TokenCursor c, string m)
    {
        if (m.StartsWith("ldxs") && Sizes.TryGetValue(m[4..], out var sxSize) && sxSize != MemSize.DW)
            return Load(c, Opcodes.Mem(OpClass.Ldx, MemMode.MemSx, sxSize));
        if (m.StartsWith("ldx") && Sizes.TryGetValue(m[3..], out var ldSize))
            return Load(c, Opcodes.Mem(OpClass.Ldx, MemMode.Mem, ldSize));
        if (m.StartsWith("stx") && Sizes.TryGetValue(m[3..], out var stxSize))
            return StoreRegister(c, Opcodes.Mem(OpClass.Stx, MemMode.Mem, stxSize));
        if (m.StartsWith("st") && Sizes.TryGetValue(m[2..], out var stSize))
            return StoreImmediate(c, Opcodes.Mem(OpClass.St, MemMode.Mem, stSize));
        if (ByteSwap(c, m) is { } swap) return swap;
        if (MoveSignExtend(c, m) is { } movsx) return movsx;

        var (stem, cls32) = SplitWidth(m);
        if (stem == "neg")
        {
            var dst = Register(c);
            return new AsmStatement(new Instruction(Opcodes.Alu(cls32 ? OpClass.Alu : OpClass.Alu64, AluOp.Neg, false), dst, 0, 0, 0));
        }
        if (AluOps.TryGetValue(stem, out var aluOp))
            return Alu(c, cls32 ? OpClass.Alu : OpClass.Alu64, aluOp, stem is "sdiv" or "smod" ? (short)1 : (short)0);
        if (JumpOps.TryGetValue(stem, out var jmpOp) && !m.EndsWith("64"))
            return Conditional(c, cls32 ? OpClass.Jmp32 : OpClass.Jmp, jmpOp);
        return null;
    }

    /// <summary>"add32" → ("add", true); "add64" and "add" → ("add", false).</summary>
    private static (string Stem, bool Is32) SplitWidth(string m) =>
        m.EndsWith("32") ? (m[..^2], true) : m.EndsWith("64") ? (m[..^2], false) : (m, false);

    private static AsmStatement? ByteSwap(TokenCursor c, string m)
    {
        (string prefix, byte opcode)? kind =
            m.StartsWith("bswap") ? ("bswap", Opcodes.Alu(OpClass.Alu64, AluOp.End, false)) :
            m.StartsWith("swap") ? ("swap", Opcodes.Alu(OpClass.Alu64, AluOp.End, false)) :
            m.StartsWith("be") ? ("be", Opcodes.Alu(OpClass.Alu, AluOp.End, true)) :
            m.StartsWith("le") ? ("le", Opcodes.Alu(OpClass.Alu, AluOp.End, false)) : null;
        if (kind is not { } k) return null;
        var width = m[k.prefix.Length..];
        if (width is not ("16" or "32" or "64")) return null;
        var dst = Register(c);
        return new AsmStatement(new Instruction(k.opcode, dst, 0, 0, int.Parse(width)));
    }

    /// <summary>movsx{8,16,32}{32,64}: sign-extend the low 8/16/32 bits of src into a 32- or 64-bit dst.</summary>
    private static AsmStatement? MoveSignExtend(TokenCursor c, string m)
    {
        if (!m.StartsWith("movsx")) return null;
        var (from, is32) = m[5..] switch
        {
            "832" => (8, true), "1632" => (16, true),
            "864" => (8, false), "1664" => (16, false), "3264" => (32, false),
            _ => (0, false),
        };
        if (from == 0) return null;
        var dst = Register(c);
        c.Expect(",");
        var src = Register(c);
        return new AsmStatement(new Instruction(Opcodes.Alu(is32 ? OpClass.Alu : OpClass.Alu64, AluOp.Mov, true), dst, src, (short)from, 0));
    }

    private static AsmStatement Alu(TokenCursor c, OpClass cls, AluOp op, short offset)
    {
        var dst = Register(c);
        c.Expect(",");
        if (c.Peek().Kind == AsmTokenKind.Register)
            return new AsmStatement(new Instruction(Opcodes.Alu(cls, op, true), dst, Register(c), offset, 0));
        return new AsmStatement(new Instruction(Opcodes.Alu(cls, op, false), dst, 0, offset, c.ExpectImm32("a register or an immediate")));
    }

    private static AsmStatement Conditional(TokenCursor c, OpClass cls, JmpOp op)
    {
        var dst = Register(c);
        c.Expect(",");
        bool isReg = c.Peek().Kind == AsmTokenKind.Register;
        byte src = isReg ? Register(c) : (byte)0;
        int imm = isReg ? 0 : c.ExpectImm32("a register or an immediate");
        c.Expect(",");
        return Jump(c, Opcodes.Jump(cls, op, isReg), dst, src, imm, wide: false);
    }

    private static AsmStatement Jump(TokenCursor c, byte opcode, byte dst, byte src, int imm, bool wide)
    {
        var target = Target(c, wide);
        var field = wide ? LabelField.Imm : LabelField.Offset;
        var insn = wide
            ? new Instruction(opcode, dst, src, 0, target.Relative)
            : new Instruction(opcode, dst, src, (short)target.Relative, imm);
        return new AsmStatement([insn], target.Label, field, target.Column);
    }

    /// <summary>A label, or a signed slot count (16-bit, or 32-bit for ja32/local calls).</summary>
    internal static JumpTarget Target(TokenCursor c, bool wide)
    {
        var t = c.Peek();
        if (t.Kind == AsmTokenKind.Identifier)
        {
            c.Next();
            return new JumpTarget(0, t.Text, t.Column);
        }
        if (!(t.Is("+") || t.Is("-") || t.Kind == AsmTokenKind.Number))
            throw TokenCursor.Fail(t, "a jump target (+N, -N or a label)");
        int relative = wide ? c.ExpectImm32("a jump distance") : c.ExpectOffset16("a jump distance");
        return new JumpTarget(relative, null, t.Column);
    }

    private AsmStatement Call(TokenCursor c)
    {
        var t = c.Peek();
        if (t.Kind == AsmTokenKind.Register)
            return new AsmStatement(new Instruction(Opcodes.Callx, Register(c), 0, 0, 0));
        if (t.Is("local"))
        {
            c.Next();
            var target = Target(c, wide: true);
            return new AsmStatement([new Instruction(Opcodes.Call, 0, CallSource.Local, 0, target.Relative)], target.Label, LabelField.Imm, target.Column);
        }
        if (t.Is("runtime"))
        {
            c.Next();
            return new AsmStatement(new Instruction(Opcodes.Call, 0, CallSource.Kfunc, 0, c.ExpectImm32("a kernel function BTF id")));
        }
        if (t.Is("helper")) return Call(SkipOne(c));
        return new AsmStatement(new Instruction(Opcodes.Call, 0, CallSource.Helper, 0, HelperId(c, options)));
    }

    private static TokenCursor SkipOne(TokenCursor c) { c.Next(); return c; }

    /// <summary>A helper id as a number, or a helper name when the options carry a name table.</summary>
    internal static int HelperId(TokenCursor c, AssemblerOptions options)
    {
        var t = c.Peek();
        if (t.Kind == AsmTokenKind.Identifier)
        {
            if (options.HelperIds is { } ids && ids.TryGetValue(t.Text, out var id)) { c.Next(); return id; }
            throw new AsmSyntaxException(t.Column, options.HelperIds is null
                ? $"expected a helper id but found '{t.Text}' (helper names need a helper table)"
                : $"expected a helper id or a known helper name but found '{t.Text}'");
        }
        return c.ExpectImm32("a helper id");
    }

    private static AsmStatement LoadImm64(TokenCursor c)
    {
        var dst = Register(c);
        c.Expect(",");
        if (PseudoLoadSyntax.IsPseudoName(c.Peek())) return PseudoLoadSyntax.Parse(c, dst);
        var (low, high) = Instruction.LoadImm64(dst, c.ExpectImm64());
        return new AsmStatement([low, high]);
    }

    private static AsmStatement Load(TokenCursor c, byte opcode)
    {
        var dst = Register(c);
        c.Expect(",");
        var (src, offset) = Memory(c);
        return new AsmStatement(new Instruction(opcode, dst, src, offset, 0));
    }

    private static AsmStatement StoreRegister(TokenCursor c, byte opcode)
    {
        var (dst, offset) = Memory(c);
        c.Expect(",");
        return new AsmStatement(new Instruction(opcode, dst, Register(c), offset, 0));
    }

    private static AsmStatement StoreImmediate(TokenCursor c, byte opcode)
    {
        var (dst, offset) = Memory(c);
        c.Expect(",");
        return new AsmStatement(new Instruction(opcode, dst, 0, offset, c.ExpectImm32()));
    }

    /// <summary><c>lock [fetch] OP[32] [%rD+OFF], %rS</c> with OP one of add, or, and, xor, xchg, cmpxchg.</summary>
    private static AsmStatement Atomic(TokenCursor c)
    {
        bool fetch = c.TryTake("fetch");
        var opToken = c.Peek();
        if (opToken.Kind != AsmTokenKind.Identifier) throw TokenCursor.Fail(opToken, "an atomic operation (add, or, and, xor, xchg, cmpxchg)");
        var (stem, is32) = SplitWidth(opToken.Text.ToLowerInvariant());
        if (!AtomicOps.TryGetValue(stem, out var imm) || opToken.Text.EndsWith("64"))
            throw TokenCursor.Fail(opToken, "an atomic operation (add, or, and, xor, xchg, cmpxchg, with 32 for 32-bit)");
        c.Next();
        if (fetch) imm |= AtomicOp.Fetch;
        var (dst, offset) = Memory(c);
        c.Expect(",");
        var src = Register(c);
        var opcode = Opcodes.Mem(OpClass.Stx, MemMode.Atomic, is32 ? MemSize.W : MemSize.DW);
        return new AsmStatement(new Instruction(opcode, dst, src, offset, imm));
    }

    /// <summary><c>[%rN]</c>, <c>[%rN+OFF]</c> or <c>[%rN-OFF]</c>.</summary>
    private static (byte Reg, short Offset) Memory(TokenCursor c)
    {
        c.Expect("[", "a memory operand like [%r1+8]");
        var reg = Register(c);
        short offset = 0;
        if (c.Peek().Is("+") || c.Peek().Is("-")) offset = c.ExpectOffset16("a memory offset");
        c.Expect("]");
        return (reg, offset);
    }

    internal static byte Register(TokenCursor c)
    {
        var t = c.Peek();
        if (t.Kind == AsmTokenKind.Register && TryRegisterNumber(t.Text.AsSpan(1), out var n))
        {
            c.Next();
            return n;
        }
        throw TokenCursor.Fail(t, "a register %r0..%r10");
    }

    /// <summary>"r0".."r10" (no leading zeros) → 0..10.</summary>
    internal static bool TryRegisterNumber(ReadOnlySpan<char> text, out byte number)
    {
        number = 0;
        if (text.Length < 2 || text.Length > 3 || text[0] != 'r') return false;
        if (text.Length == 3 && text[1..].SequenceEqual("10")) { number = 10; return true; }
        if (text.Length == 2 && char.IsAsciiDigit(text[1])) { number = (byte)(text[1] - '0'); return true; }
        return false;
    }
}
