using SeccompEbpf.Bpf;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Classic.Text;

/// <summary>
/// Reads classic BPF in the syntax of the kernel's bpf_asm: one instruction per line, labels
/// (<c>name:</c>), ';' comments, operands <c>#k</c>, <c>#len</c>, <c>[k]</c>, <c>[x + k]</c>,
/// <c>M[k]</c>, <c>4*([k]&amp;0xf)</c>, <c>x</c>/<c>%x</c>, <c>a</c>/<c>%a</c>. Jump targets are
/// labels or plain numbers (relative offsets, as in BPF_JUMP). Also accepts bpf_asm's jne/jneq,
/// jlt and jle (encoded with the opposite condition), ldi/ldxi/ldxb, and our <c>.insn code, jt, jf, k</c>
/// for any raw instruction.
/// Errors carry "file:line:column" and say what was expected.
/// </summary>
public static class ClassicAssembler
{
    public static BpfResult<ClassicInstruction[]> Assemble(string text, string fileName = "<input>")
    {
        var state = new AssemblyState(fileName);
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            try
            {
                state.AssembleLine(lines[n].TrimEnd('\r'), n + 1);
            }
            catch (AsmSyntaxException e)
            {
                return new BpfError(e.Message, Location: $"{fileName}:{n + 1}:{e.Column}");
            }
        }
        return state.Finish();
    }

    private sealed class AsmSyntaxException(int column, string message) : Exception(message)
    {
        public int Column { get; } = column;
    }

    private enum OperandKind { Immediate, Length, Scratch, Absolute, Indirect, Msh, X, A, Number, Label }

    private readonly record struct Operand(OperandKind Kind, uint Value, string Label, int Column);

    private enum JumpField { K, Jt, Jf }

    private sealed record Fixup(int Index, JumpField Field, string Label, string Location);

    private sealed class AssemblyState(string fileName)
    {
        private readonly List<ClassicInstruction> _code = [];
        private readonly Dictionary<string, (int Index, string Location)> _labels = new(StringComparer.Ordinal);
        private readonly List<Fixup> _fixups = [];
        private List<AsmToken> _tokens = [];
        private int _pos;
        private int _line;

        public void AssembleLine(string line, int lineNumber)
        {
            var (tokens, error) = AsmLexer.Lex(line);
            if (error is { } e) throw new AsmSyntaxException(e.Column, e.Message);
            _tokens = tokens;
            _pos = 0;
            _line = lineNumber;

            while (Peek.Kind == AsmTokenKind.Word && _tokens[_pos + 1].Is(":"))
            {
                var label = Next();
                Next();
                if (_labels.TryGetValue(label.Text, out var earlier))
                    throw new AsmSyntaxException(label.Column, $"label '{label.Text}' is already defined at {earlier.Location}");
                _labels[label.Text] = (_code.Count, Here(label.Column));
            }
            if (Peek.Kind == AsmTokenKind.End) return;

            var mnemonic = Next();
            if (mnemonic.Kind != AsmTokenKind.Word)
                throw new AsmSyntaxException(mnemonic.Column, $"expected an instruction (ld, ldx, st, jeq, ret, ...) or a label, found {mnemonic.Describe()}");
            _code.Add(Instruction(mnemonic));
            if (Peek.Kind != AsmTokenKind.End)
                throw new AsmSyntaxException(Peek.Column, $"unexpected {Peek.Describe()} after the operands of '{mnemonic.Text}'");
        }

        public BpfResult<ClassicInstruction[]> Finish()
        {
            foreach (var fixup in _fixups)
            {
                if (!_labels.TryGetValue(fixup.Label, out var target))
                    return new BpfError($"undefined label '{fixup.Label}'", Location: fixup.Location);
                int offset = target.Index - (fixup.Index + 1);
                if (offset < 0)
                    return new BpfError($"label '{fixup.Label}' is not ahead of this instruction: classic BPF jumps only go forward", Location: fixup.Location);
                if (fixup.Field != JumpField.K && offset > byte.MaxValue)
                    return new BpfError($"label '{fixup.Label}' is {offset} instructions ahead; conditional jumps reach at most 255 (use ja)", Location: fixup.Location);
                var ins = _code[fixup.Index];
                _code[fixup.Index] = fixup.Field switch
                {
                    JumpField.K => ins with { K = (uint)offset },
                    JumpField.Jt => ins with { Jt = (byte)offset },
                    _ => ins with { Jf = (byte)offset },
                };
            }
            return _code.ToArray();
        }

        private AsmToken Peek => _tokens[_pos];
        private AsmToken Next() => _tokens[Math.Min(_pos++, _tokens.Count - 1)];
        private string Here(int column) => $"{fileName}:{_line}:{column}";

        private void Expect(string punct, string context)
        {
            var t = Next();
            if (!t.Is(punct)) throw new AsmSyntaxException(t.Column, $"expected '{punct}' {context}, found {t.Describe()}");
        }

        private uint ExpectNumber(string context)
        {
            var t = Next();
            if (t.Kind != AsmTokenKind.Number) throw new AsmSyntaxException(t.Column, $"expected a number {context}, found {t.Describe()}");
            return t.Value;
        }

        private bool TryRegister(char name)
        {
            int save = _pos;
            if (Peek.Is("%")) Next();
            if (Peek.IsWord(name.ToString())) { Next(); return true; }
            _pos = save;
            return false;
        }

        private Operand ParseOperand()
        {
            var first = Peek;
            if (first.Is("#"))
            {
                Next();
                if (Peek.IsWord("len") || Peek.IsWord("pktlen")) { Next(); return new(OperandKind.Length, 0, "", first.Column); }
                if (Peek.Kind == AsmTokenKind.Word)
                    throw new AsmSyntaxException(Peek.Column, $"'#{Peek.Text}' is an ancillary load seccomp cannot use; only #len is known here");
                return new(OperandKind.Immediate, ExpectNumber("after '#'"), "", first.Column);
            }
            if (first.IsWord("len") || first.IsWord("pktlen")) { Next(); return new(OperandKind.Length, 0, "", first.Column); }
            if (first.IsWord("M") && _tokens[_pos + 1].Is("["))
            {
                Next(); Next();
                uint k = ExpectNumber("as the scratch index in M[k]");
                Expect("]", "to close M[k]");
                return new(OperandKind.Scratch, k, "", first.Column);
            }
            if (first.Is("["))
            {
                Next();
                if (TryRegister('x'))
                {
                    uint offset = 0;
                    if (Peek.Is("+")) { Next(); offset = ExpectNumber("after 'x +'"); }
                    Expect("]", "to close [x + k]");
                    return new(OperandKind.Indirect, offset, "", first.Column);
                }
                uint k = ExpectNumber("as the offset in [k]");
                Expect("]", "to close [k]");
                return new(OperandKind.Absolute, k, "", first.Column);
            }
            if (first.Kind == AsmTokenKind.Number)
            {
                Next();
                if (!Peek.Is("*")) return new(OperandKind.Number, first.Value, "", first.Column);
                if (first.Value != 4) throw new AsmSyntaxException(first.Column, "expected 4*([k]&0xf)");
                Next();
                Expect("(", "in 4*([k]&0xf)");
                Expect("[", "in 4*([k]&0xf)");
                uint k = ExpectNumber("as the offset in 4*([k]&0xf)");
                Expect("]", "in 4*([k]&0xf)");
                Expect("&", "in 4*([k]&0xf)");
                var mask = Next();
                if (mask.Kind != AsmTokenKind.Number || mask.Value != 0xf) throw new AsmSyntaxException(mask.Column, $"expected 0xf in 4*([k]&0xf), found {mask.Describe()}");
                Expect(")", "to close 4*([k]&0xf)");
                return new(OperandKind.Msh, k, "", first.Column);
            }
            if (TryRegister('x')) return new(OperandKind.X, 0, "", first.Column);
            if (TryRegister('a')) return new(OperandKind.A, 0, "", first.Column);
            if (first.Kind == AsmTokenKind.Word) { Next(); return new(OperandKind.Label, 0, first.Text, first.Column); }
            throw new AsmSyntaxException(first.Column, $"expected an operand, found {first.Describe()}");
        }

        private Operand ReadOperand(string mnemonic, string expected, params OperandKind[] allowed)
        {
            var column = Peek.Column;
            var op = Peek.Kind == AsmTokenKind.End
                ? throw new AsmSyntaxException(column, $"'{mnemonic}' needs an operand: {expected}")
                : ParseOperand();
            if (Array.IndexOf(allowed, op.Kind) < 0)
                throw new AsmSyntaxException(op.Column, $"'{mnemonic}' takes {expected}");
            return op;
        }

        private ClassicInstruction Instruction(AsmToken mnemonicToken)
        {
            string m = mnemonicToken.Text.ToLowerInvariant();
            switch (m)
            {
                case "ld":
                {
                    var op = ReadOperand(m, "#k, #len, M[k], [k] or [x + k]", OperandKind.Immediate, OperandKind.Length, OperandKind.Scratch, OperandKind.Absolute, OperandKind.Indirect);
                    return op.Kind switch
                    {
                        OperandKind.Immediate => S(LdImm, op.Value),
                        OperandKind.Length => S(LdLen, 0),
                        OperandKind.Scratch => S(LdMem, op.Value),
                        OperandKind.Absolute => S(LdAbsW, op.Value),
                        _ => S(LdIndW, op.Value),
                    };
                }
                case "ldi": return S(LdImm, ReadOperand(m, "#k", OperandKind.Immediate, OperandKind.Number).Value);
                case "ldh" or "ldb":
                {
                    var op = ReadOperand(m, "[k] or [x + k]", OperandKind.Absolute, OperandKind.Indirect);
                    bool half = m == "ldh";
                    return op.Kind == OperandKind.Absolute ? S(half ? LdAbsH : LdAbsB, op.Value) : S(half ? LdIndH : LdIndB, op.Value);
                }
                case "ldx":
                {
                    var op = ReadOperand(m, "#k, #len, M[k] or 4*([k]&0xf)", OperandKind.Immediate, OperandKind.Length, OperandKind.Scratch, OperandKind.Msh);
                    return op.Kind switch
                    {
                        OperandKind.Immediate => S(LdxImm, op.Value),
                        OperandKind.Length => S(LdxLen, 0),
                        OperandKind.Scratch => S(LdxMem, op.Value),
                        _ => S(LdxMshB, op.Value),
                    };
                }
                case "ldxi": return S(LdxImm, ReadOperand(m, "#k", OperandKind.Immediate, OperandKind.Number).Value);
                case "ldxb": return S(LdxMshB, ReadOperand(m, "4*([k]&0xf)", OperandKind.Msh).Value);
                case "st": return S(St, ReadOperand(m, "M[k]", OperandKind.Scratch).Value);
                case "stx": return S(Stx, ReadOperand(m, "M[k]", OperandKind.Scratch).Value);
                case ".insn": return RawInstruction();
                case "tax": return S(Tax, 0);
                case "txa": return S(Txa, 0);
                case "neg": return S(Neg, 0);
                case "add": return Alu(m, AddK, AddX);
                case "sub": return Alu(m, SubK, SubX);
                case "mul": return Alu(m, MulK, MulX);
                case "div": return Alu(m, DivK, DivX);
                case "mod": return Alu(m, ModK, ModX);
                case "and": return Alu(m, AndK, AndX);
                case "or": return Alu(m, OrK, OrX);
                case "xor": return Alu(m, XorK, XorX);
                case "lsh": return Alu(m, LshK, LshX);
                case "rsh": return Alu(m, RshK, RshX);
                case "ret":
                {
                    var op = ReadOperand(m, "#k, a or x", OperandKind.Immediate, OperandKind.A, OperandKind.X);
                    return op.Kind switch { OperandKind.Immediate => S(RetK, op.Value), OperandKind.A => S(RetA, 0), _ => S(0x0e, 0) };
                }
                case "ja" or "jmp":
                {
                    var target = ReadTarget(m);
                    return Target(S(Ja, 0), target, JumpField.K);
                }
                case "jeq": return Conditional(m, JeqK, JeqX, inverted: false);
                case "jgt": return Conditional(m, JgtK, JgtX, inverted: false);
                case "jge": return Conditional(m, JgeK, JgeX, inverted: false);
                case "jset": return Conditional(m, JsetK, JsetX, inverted: false);
                case "jne" or "jneq": return Conditional(m, JeqK, JeqX, inverted: true);
                case "jlt": return Conditional(m, JgeK, JgeX, inverted: true);
                case "jle": return Conditional(m, JgtK, JgtX, inverted: true);
                default:
                    throw new AsmSyntaxException(mnemonicToken.Column, $"unknown instruction '{mnemonicToken.Text}'");
            }
        }

        // ".insn code, jt, jf, k": any instruction as numbers, so every program can be written out.
        private ClassicInstruction RawInstruction()
        {
            var column = Peek.Column;
            uint code = ExpectNumber("as the opcode of .insn code, jt, jf, k");
            Expect(",", "after the opcode");
            uint jt = ExpectNumber("as jt");
            Expect(",", "after jt");
            uint jf = ExpectNumber("as jf");
            Expect(",", "after jf");
            uint k = ExpectNumber("as k");
            if (code > ushort.MaxValue || jt > byte.MaxValue || jf > byte.MaxValue)
                throw new AsmSyntaxException(column, ".insn needs code < 65536 and jt, jf < 256");
            return new ClassicInstruction((ushort)code, (byte)jt, (byte)jf, k);
        }

        private ClassicInstruction Alu(string m, ushort withK, ushort withX)
        {
            var op = ReadOperand(m, "#k or x", OperandKind.Immediate, OperandKind.X);
            return op.Kind == OperandKind.Immediate ? S(withK, op.Value) : S(withX, 0);
        }

        // "jeq #k, t[, f]": a missing false target means the next instruction. Inverted forms
        // (jne, jlt, jle) swap the targets of the opposite condition.
        private ClassicInstruction Conditional(string m, ushort withK, ushort withX, bool inverted)
        {
            var value = ReadOperand(m, "#k or x, then the targets", OperandKind.Immediate, OperandKind.X);
            var ins = value.Kind == OperandKind.Immediate ? S(withK, value.Value) : S(withX, 0);
            Expect(",", $"after the compared value of '{m}'");
            var taken = ReadTarget(m);
            Operand? notTaken = null;
            if (Peek.Is(","))
            {
                Next();
                notTaken = ReadTarget(m);
            }
            var (jt, jf) = inverted ? (notTaken, (Operand?)taken) : (taken, notTaken);
            if (jt is { } t) ins = Target(ins, t, JumpField.Jt);
            if (jf is { } f) ins = Target(ins, f, JumpField.Jf);
            return ins;
        }

        // A jump target is a label (any name, even 'a' or 'x') or a relative offset.
        private Operand ReadTarget(string m)
        {
            var t = Next();
            return t.Kind switch
            {
                AsmTokenKind.Word => new(OperandKind.Label, 0, t.Text, t.Column),
                AsmTokenKind.Number => new(OperandKind.Number, t.Value, "", t.Column),
                _ => throw new AsmSyntaxException(t.Column, $"'{m}' needs a label or a relative offset as target, found {t.Describe()}"),
            };
        }

        private ClassicInstruction Target(ClassicInstruction ins, Operand target, JumpField field)
        {
            if (target.Kind == OperandKind.Label)
            {
                _fixups.Add(new Fixup(_code.Count, field, target.Label, Here(target.Column)));
                return ins;
            }
            if (field != JumpField.K && target.Value > byte.MaxValue)
                throw new AsmSyntaxException(target.Column, $"jump offset {target.Value} does not fit: conditional jumps reach at most 255");
            return field switch
            {
                JumpField.K => ins with { K = target.Value },
                JumpField.Jt => ins with { Jt = (byte)target.Value },
                _ => ins with { Jf = (byte)target.Value },
            };
        }

        private static ClassicInstruction S(ushort code, uint k) => ClassicInstruction.Stmt(code, k);
    }
}
