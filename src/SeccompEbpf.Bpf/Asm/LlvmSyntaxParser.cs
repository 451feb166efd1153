using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// The LLVM/kernel dialect, as printed by <c>llvm-objdump -d</c> and verifier logs and read by
/// <c>llvm-mc -triple bpf</c>: <c>r</c> registers are 64-bit operations, <c>w</c> registers
/// 32-bit ones. Jump targets are <c>+N</c>/<c>-N</c> (also <c>pc+N</c>, with an optional
/// <c>&lt;symbol&gt;</c> annotation) or a label. A 64-bit immediate load ends in <c>ll</c>.
/// </summary>
internal sealed class LlvmSyntaxParser(AssemblerOptions options) : ISyntaxParser
{
    internal static readonly Dictionary<string, (AluOp Op, short Offset)> CompoundAssignments = new()
    {
        ["+="] = (AluOp.Add, 0), ["-="] = (AluOp.Sub, 0), ["*="] = (AluOp.Mul, 0), ["/="] = (AluOp.Div, 0),
        ["s/="] = (AluOp.Div, 1), ["|="] = (AluOp.Or, 0), ["&="] = (AluOp.And, 0), ["<<="] = (AluOp.Lsh, 0),
        [">>="] = (AluOp.Rsh, 0), ["%="] = (AluOp.Mod, 0), ["s%="] = (AluOp.Mod, 1), ["^="] = (AluOp.Xor, 0),
        ["s>>="] = (AluOp.Arsh, 0),
    };

    internal static readonly Dictionary<string, JmpOp> Comparisons = new()
    {
        ["=="] = JmpOp.Jeq, ["!="] = JmpOp.Jne, [">"] = JmpOp.Jgt, [">="] = JmpOp.Jge, ["<"] = JmpOp.Jlt,
        ["<="] = JmpOp.Jle, ["s>"] = JmpOp.Jsgt, ["s>="] = JmpOp.Jsge, ["s<"] = JmpOp.Jslt, ["s<="] = JmpOp.Jsle,
        ["&"] = JmpOp.Jset,
    };

    /// <summary>Non-fetching atomics: <c>lock *(u64 *)(r1 + 0) OP= r2</c>.</summary>
    internal static readonly Dictionary<string, int> LockOperators = new()
    {
        ["+="] = AtomicOp.Add, ["|="] = AtomicOp.Or, ["&="] = AtomicOp.And, ["^="] = AtomicOp.Xor,
    };

    internal static readonly Dictionary<string, int> FetchFunctions = new()
    {
        ["atomic_fetch_add"] = AtomicOp.Add | AtomicOp.Fetch, ["atomic_fetch_or"] = AtomicOp.Or | AtomicOp.Fetch,
        ["atomic_fetch_and"] = AtomicOp.And | AtomicOp.Fetch, ["atomic_fetch_xor"] = AtomicOp.Xor | AtomicOp.Fetch,
    };

    private static readonly Dictionary<string, MemSize> UnsignedTypes = new()
    {
        ["u8"] = MemSize.B, ["u16"] = MemSize.H, ["u32"] = MemSize.W, ["u64"] = MemSize.DW,
    };

    private static readonly Dictionary<string, MemSize> SignedTypes = new()
    {
        ["s8"] = MemSize.B, ["s16"] = MemSize.H, ["s32"] = MemSize.W,
    };

    private readonly record struct Reg(byte Number, bool Is32, AsmToken Token);

    public AsmStatement Parse(TokenCursor c)
    {
        var first = c.Peek();
        AsmStatement statement;
        if (first.Is("exit")) { c.Next(); statement = new AsmStatement(new Instruction(Opcodes.Exit, 0, 0, 0, 0)); }
        else if (first.Is("goto")) { c.Next(); statement = Jump(c, Opcodes.Ja, 0, 0, 0, wide: false); }
        else if (first.Is("gotol")) { c.Next(); statement = Jump(c, Opcodes.Ja32, 0, 0, 0, wide: true); }
        else if (first.Is("call")) { c.Next(); statement = Call(c); }
        else if (first.Is("callx")) { c.Next(); statement = new AsmStatement(new Instruction(Opcodes.Callx, Register(c, want32: false).Number, 0, 0, 0)); }
        else if (first.Is("if")) { c.Next(); statement = Conditional(c); }
        else if (first.Is("lock")) { c.Next(); statement = Lock(c); }
        else if (first.Is("*")) statement = Store(c);
        else if (TryRegister(first, out var dst)) { c.Next(); statement = Assignment(c, dst); }
        else throw TokenCursor.Fail(first, "an instruction (a register assignment, *(...) =, if, goto, gotol, call, callx, lock or exit)");
        c.ExpectEnd();
        return statement;
    }

    private AsmStatement Assignment(TokenCursor c, Reg dst)
    {
        var op = c.Next();
        var cls = dst.Is32 ? OpClass.Alu : OpClass.Alu64;
        if (CompoundAssignments.TryGetValue(op.Text, out var alu) && op.Kind == AsmTokenKind.Punct)
            return AluOperand(c, dst, cls, alu.Op, alu.Offset);
        if (!op.Is("=")) throw TokenCursor.Fail(op, "'=' or a compound assignment like '+='");

        var next = c.Peek();
        if (next.Is("*")) return Load(c, dst);
        if (next.Is("(")) return MoveSignExtend(c, dst, cls);
        if (next.Is("-") && TryRegister(c.Peek(1), out _))
        {
            c.Next();
            SameRegister(dst, Register(c, dst.Is32), "negation");
            return new AsmStatement(new Instruction(Opcodes.Alu(cls, AluOp.Neg, false), dst.Number, 0, 0, 0));
        }
        if (next.Kind == AsmTokenKind.Identifier && ByteSwapKind(next.Text) is { } swap)
        {
            c.Next();
            if (dst.Is32) throw new AsmSyntaxException(dst.Token.Column, $"expected a 64-bit register r0..r10 for a byte swap but found '{dst.Token.Text}'");
            SameRegister(dst, Register(c, want32: false), "byte swap");
            return new AsmStatement(new Instruction(swap.Opcode, dst.Number, 0, 0, swap.Width));
        }
        if (FetchFunctions.TryGetValue(next.Text, out var fetchOp) && next.Kind == AsmTokenKind.Identifier) return FetchAtomic(c, dst, fetchOp);
        if (next.Is("xchg_64") || next.Is("xchg32_32")) return Exchange(c, dst);
        if (next.Is("cmpxchg_64") || next.Is("cmpxchg32_32")) return CompareExchange(c, dst);
        if (PseudoLoadSyntax.IsPseudoName(next))
        {
            if (dst.Is32) throw new AsmSyntaxException(dst.Token.Column, $"expected a 64-bit register for a 64-bit load but found '{dst.Token.Text}'");
            var pseudo = PseudoLoadSyntax.Parse(c, dst.Number);
            c.TryTake("ll");
            return pseudo;
        }
        if (TryRegister(next, out _) || next.Kind == AsmTokenKind.Register)
            return AluOperand(c, dst, cls, AluOp.Mov, 0);
        if (next.Is("-") || next.Is("+") || next.Kind == AsmTokenKind.Number)
        {
            if (c.Peek(next.Kind == AsmTokenKind.Number ? 1 : 2).Is("ll")) return LoadImm64(c, dst);
            return AluOperand(c, dst, cls, AluOp.Mov, 0);
        }
        throw TokenCursor.Fail(next, "a register, an immediate, *(type *)(reg + off), (s8)/(s16)/(s32)reg, -reg, be16/le16/bswap16 reg, an atomic function or a map reference");
    }

    private static AsmStatement AluOperand(TokenCursor c, Reg dst, OpClass cls, AluOp op, short offset)
    {
        if (TryRegister(c.Peek(), out _))
        {
            var src = Register(c, dst.Is32);
            return new AsmStatement(new Instruction(Opcodes.Alu(cls, op, true), dst.Number, src.Number, offset, 0));
        }
        int imm = c.ExpectImm32(dst.Is32 ? "a w register or an immediate" : "an r register or an immediate");
        return new AsmStatement(new Instruction(Opcodes.Alu(cls, op, false), dst.Number, 0, offset, imm));
    }

    private static AsmStatement LoadImm64(TokenCursor c, Reg dst)
    {
        if (dst.Is32) throw new AsmSyntaxException(dst.Token.Column, $"expected a 64-bit register for a 64-bit load (ll) but found '{dst.Token.Text}'");
        var (low, high) = Instruction.LoadImm64(dst.Number, c.ExpectImm64());
        c.Expect("ll");
        return new AsmStatement([low, high]);
    }

    /// <summary><c>w0 = (s8)w1</c>, <c>r0 = (s32)r1</c>.</summary>
    private static AsmStatement MoveSignExtend(TokenCursor c, Reg dst, OpClass cls)
    {
        c.Expect("(");
        var type = c.Peek();
        if (!SignedTypes.TryGetValue(type.Text, out var size) || type.Kind != AsmTokenKind.Identifier)
            throw TokenCursor.Fail(type, "s8, s16 or s32");
        c.Next();
        c.Expect(")");
        var src = Register(c, dst.Is32);
        return new AsmStatement(new Instruction(Opcodes.Alu(cls, AluOp.Mov, true), dst.Number, src.Number, (short)(size.Bytes() * 8), 0));
    }

    /// <summary><c>rD = *(u32 *)(rS + off)</c> and the sign-extending <c>*(s8 *)</c> forms.</summary>
    private static AsmStatement Load(TokenCursor c, Reg dst)
    {
        var (size, signed) = PointerType(c, allowSigned: true);
        if (dst.Is32 && size == MemSize.DW) throw new AsmSyntaxException(dst.Token.Column, $"expected a 64-bit register for a u64 load but found '{dst.Token.Text}'");
        var (src, offset) = Address(c);
        var opcode = Opcodes.Mem(OpClass.Ldx, signed ? MemMode.MemSx : MemMode.Mem, size);
        return new AsmStatement(new Instruction(opcode, dst.Number, src, offset, 0));
    }

    /// <summary><c>*(u32 *)(rD + off) = rS</c> or <c>= imm</c>.</summary>
    private static AsmStatement Store(TokenCursor c)
    {
        var (size, _) = PointerType(c, allowSigned: false);
        var (dst, offset) = Address(c);
        c.Expect("=");
        if (TryRegister(c.Peek(), out _))
        {
            var src = Register(c, want32: null);
            return new AsmStatement(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, size), dst, src.Number, offset, 0));
        }
        int imm = c.ExpectImm32("a register or an immediate");
        return new AsmStatement(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, size), dst, 0, offset, imm));
    }

    /// <summary><c>lock *(u64 *)(r10 - 8) += r1</c> (also |=, &amp;=, ^=; u32 with a w register).</summary>
    private static AsmStatement Lock(TokenCursor c)
    {
        var (size, _) = AtomicPointerType(c);
        var (dst, offset) = Address(c);
        var op = c.Peek();
        if (!LockOperators.TryGetValue(op.Text, out var imm) || op.Kind != AsmTokenKind.Punct)
            throw TokenCursor.Fail(op, "'+=', '|=', '&=' or '^='");
        c.Next();
        var src = Register(c, want32: size == MemSize.W ? true : size == MemSize.DW ? false : null);
        return new AsmStatement(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), dst, src.Number, offset, imm));
    }

    /// <summary><c>r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)</c>: the result register is the source register.</summary>
    private static AsmStatement FetchAtomic(TokenCursor c, Reg result, int imm)
    {
        c.Next();
        c.Expect("(");
        var (size, _) = AtomicPointerType(c);
        if ((size == MemSize.W) != result.Is32)
            throw new AsmSyntaxException(result.Token.Column, $"expected a {(size == MemSize.W ? "w" : "r")} register for a {(size == MemSize.W ? "u32" : "u64")} atomic but found '{result.Token.Text}'");
        var (dst, offset) = Address(c);
        c.Expect(",");
        var src = Register(c, result.Is32);
        c.Expect(")");
        SameRegister(result, src, "atomic fetch (the old value lands in the source register)");
        return new AsmStatement(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), dst, src.Number, offset, imm));
    }

    /// <summary><c>r1 = xchg_64(r10 - 8, r1)</c>, <c>w1 = xchg32_32(r10 - 8, w1)</c>.</summary>
    private static AsmStatement Exchange(TokenCursor c, Reg result)
    {
        var size = WidthOfFunction(c, result);
        c.Expect("(");
        var (dst, offset) = BareAddress(c);
        c.Expect(",");
        var src = Register(c, result.Is32);
        c.Expect(")");
        SameRegister(result, src, "xchg (the old value lands in the source register)");
        return new AsmStatement(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), dst, src.Number, offset, AtomicOp.Xchg));
    }

    /// <summary><c>r0 = cmpxchg_64(r10 - 8, r0, r1)</c>: compares with r0, which receives the old value.</summary>
    private static AsmStatement CompareExchange(TokenCursor c, Reg result)
    {
        var size = WidthOfFunction(c, result);
        if (result.Number != 0) throw new AsmSyntaxException(result.Token.Column, $"expected {(result.Is32 ? "w0" : "r0")} (cmpxchg always uses r0) but found '{result.Token.Text}'");
        c.Expect("(");
        var (dst, offset) = BareAddress(c);
        c.Expect(",");
        SameRegister(result, Register(c, result.Is32), "cmpxchg (the comparand is r0)");
        c.Expect(",");
        var src = Register(c, result.Is32);
        c.Expect(")");
        return new AsmStatement(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), dst, src.Number, offset, AtomicOp.CmpXchg));
    }

    /// <summary>xchg_64/cmpxchg_64 need an r result, xchg32_32/cmpxchg32_32 a w result.</summary>
    private static MemSize WidthOfFunction(TokenCursor c, Reg result)
    {
        var name = c.Next();
        bool is32 = name.Text.EndsWith("32_32");
        if (is32 != result.Is32)
            throw new AsmSyntaxException(result.Token.Column, $"expected a {(is32 ? "w" : "r")} register for {name.Text} but found '{result.Token.Text}'");
        return is32 ? MemSize.W : MemSize.DW;
    }

    private static AsmStatement Conditional(TokenCursor c)
    {
        var dst = Register(c, want32: null);
        var op = c.Peek();
        if (!Comparisons.TryGetValue(op.Text, out var jmp) || op.Kind != AsmTokenKind.Punct)
            throw TokenCursor.Fail(op, "a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &)");
        c.Next();
        var cls = dst.Is32 ? OpClass.Jmp32 : OpClass.Jmp;
        if (TryRegister(c.Peek(), out _))
        {
            var src = Register(c, dst.Is32);
            c.Expect("goto");
            return Jump(c, Opcodes.Jump(cls, jmp, true), dst.Number, src.Number, 0, wide: false);
        }
        int imm = c.ExpectImm32("a register or an immediate");
        c.Expect("goto");
        return Jump(c, Opcodes.Jump(cls, jmp, false), dst.Number, 0, imm, wide: false);
    }

    private static AsmStatement Jump(TokenCursor c, byte opcode, byte dst, byte src, int imm, bool wide)
    {
        var target = Target(c, wide);
        var insn = wide
            ? new Instruction(opcode, dst, src, 0, target.Relative)
            : new Instruction(opcode, dst, src, (short)target.Relative, imm);
        return new AsmStatement([insn], target.Label, wide ? LabelField.Imm : LabelField.Offset, target.Column);
    }

    /// <summary><c>+2</c>, <c>-3</c>, <c>pc+2</c>, or a label; a trailing <c>&lt;symbol+0x40&gt;</c> annotation is ignored.</summary>
    private static JumpTarget Target(TokenCursor c, bool wide)
    {
        var t = c.Peek();
        JumpTarget target;
        if (t.Is("pc") && (c.Peek(1).Is("+") || c.Peek(1).Is("-")))
        {
            c.Next();
            target = new JumpTarget(wide ? c.ExpectImm32("a jump distance") : c.ExpectOffset16("a jump distance"), null, t.Column);
        }
        else target = ConformanceSyntaxParser.Target(c, wide);
        if (c.Peek().Is("<"))
        {
            while (!c.AtEnd && !c.Peek().Is(">")) c.Next();
            c.Expect(">");
        }
        return target;
    }

    /// <summary>
    /// <c>call 1</c> (helper id), <c>call NAME</c> (a helper from the table, otherwise a local
    /// function label), <c>call NAME#1</c> (verifier log: helper 1), <c>call pc+3</c> (local,
    /// relative), <c>call kfunc 12</c> (kernel function BTF id).
    /// </summary>
    private AsmStatement Call(TokenCursor c)
    {
        var t = c.Peek();
        if (t.Is("pc") && (c.Peek(1).Is("+") || c.Peek(1).Is("-")))
        {
            var target = Target(c, wide: true);
            return new AsmStatement([new Instruction(Opcodes.Call, 0, CallSource.Local, 0, target.Relative)]);
        }
        if (t.Is("kfunc") && (c.Peek(1).Kind == AsmTokenKind.Number || c.Peek(1).Is("-") || c.Peek(1).Is("+")))
        {
            c.Next();
            return new AsmStatement(new Instruction(Opcodes.Call, 0, CallSource.Kfunc, 0, c.ExpectImm32("a kernel function BTF id")));
        }
        if (t.Kind == AsmTokenKind.Identifier && c.Peek(1).Is("#"))
        {
            // Verifier log: "call bpf_map_lookup_elem#1" — the number is authoritative.
            c.Next();
            c.Next();
            return new AsmStatement(new Instruction(Opcodes.Call, 0, CallSource.Helper, 0, c.ExpectImm32("a helper id after '#'")));
        }
        if (t.Kind == AsmTokenKind.Identifier && !(options.HelperIds?.ContainsKey(t.Text) ?? false))
        {
            c.Next();
            return new AsmStatement([new Instruction(Opcodes.Call, 0, CallSource.Local, 0, 0)], t.Text, LabelField.Imm, t.Column);
        }
        var id = ConformanceSyntaxParser.HelperId(c, options);
        if (c.Peek().Is("<")) Target(c, wide: true); // drop an objdump annotation
        return new AsmStatement(new Instruction(Opcodes.Call, 0, CallSource.Helper, 0, id));
    }

    /// <summary><c>*(u32 *)</c> or, for loads, <c>*(s16 *)</c>; returns the size and whether it is signed.</summary>
    private static (MemSize Size, bool Signed) PointerType(TokenCursor c, bool allowSigned)
    {
        c.TryTake("*");
        c.Expect("(", "'(' of a pointer type like (u32 *)");
        var type = c.Peek();
        MemSize size;
        bool signed = false;
        if (type.Kind == AsmTokenKind.Identifier && UnsignedTypes.TryGetValue(type.Text, out size)) { }
        else if (allowSigned && type.Kind == AsmTokenKind.Identifier && SignedTypes.TryGetValue(type.Text, out size)) signed = true;
        else throw TokenCursor.Fail(type, allowSigned ? "u8, u16, u32, u64, s8, s16 or s32" : "u8, u16, u32 or u64");
        c.Next();
        c.Expect("*");
        c.Expect(")");
        return (size, signed);
    }

    private static (MemSize Size, bool Signed) AtomicPointerType(TokenCursor c)
    {
        var type = c.Peek(c.Peek().Is("*") ? 2 : 1);
        var result = PointerType(c, allowSigned: false);
        if (result.Size is not (MemSize.W or MemSize.DW)) throw TokenCursor.Fail(type, "u32 or u64 (atomic operations are 32- or 64-bit)");
        return result;
    }

    /// <summary><c>(r1 + 8)</c>, <c>(r10 - 0x4)</c>, <c>(r1)</c>.</summary>
    private static (byte Reg, short Offset) Address(TokenCursor c)
    {
        c.Expect("(", "'(' of an address like (r1 + 8)");
        var address = BareAddress(c);
        c.Expect(")");
        return address;
    }

    private static (byte Reg, short Offset) BareAddress(TokenCursor c)
    {
        var reg = Register(c, want32: false);
        short offset = 0;
        if (c.Peek().Is("+") || c.Peek().Is("-")) offset = c.ExpectOffset16("a memory offset");
        return (reg.Number, offset);
    }

    private static (byte Opcode, int Width)? ByteSwapKind(string name)
    {
        byte? opcode = name.StartsWith("be") ? Opcodes.Alu(OpClass.Alu, AluOp.End, true)
            : name.StartsWith("le") ? Opcodes.Alu(OpClass.Alu, AluOp.End, false)
            : name.StartsWith("bswap") ? Opcodes.Alu(OpClass.Alu64, AluOp.End, false)
            : null;
        var width = name.StartsWith("bswap") ? name[5..] : name.Length > 2 ? name[2..] : "";
        return opcode is { } op && width is "16" or "32" or "64" ? (op, int.Parse(width)) : null;
    }

    private static void SameRegister(Reg expected, Reg found, string what)
    {
        if (expected.Number != found.Number || expected.Is32 != found.Is32)
            throw new AsmSyntaxException(found.Token.Column, $"expected '{expected.Token.Text}' (the same register on both sides of a {what}) but found '{found.Token.Text}'");
    }

    private static bool TryRegister(AsmToken t, out Reg reg)
    {
        reg = default;
        if (t.Kind != AsmTokenKind.Identifier || t.Text.Length < 2 || t.Text[0] is not ('r' or 'w')) return false;
        if (!ConformanceSyntaxParser.TryRegisterNumber("r" + t.Text[1..], out var n)) return false;
        reg = new Reg(n, t.Text[0] == 'w', t);
        return true;
    }

    /// <summary>A register; <paramref name="want32"/> true → w0..w10, false → r0..r10, null → either.</summary>
    private static Reg Register(TokenCursor c, bool? want32)
    {
        var t = c.Peek();
        if (TryRegister(t, out var reg) && (want32 is null || reg.Is32 == want32))
        {
            c.Next();
            return reg;
        }
        throw TokenCursor.Fail(t, want32 switch
        {
            true => "a 32-bit register w0..w10",
            false => "a 64-bit register r0..r10",
            null => "a register r0..r10 or w0..w10",
        });
    }
}
