using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicInstruction;

namespace SeccompEbpf.Split;

/// <summary>
/// The classic counterpart of <see cref="EbpfPartialEvaluator"/>: runs a cBPF filter with nr and
/// arch fixed, following both sides of undecided jumps. Reading the arguments or the instruction
/// pointer makes the verdict dynamic here: the plan builds one kernel program, and a raw classic
/// filter's argument tests are then re-run by the supervisor rather than spliced into it.
/// </summary>
public static class ClassicPartialEvaluator
{
    public static FilterOutcome Evaluate(ClassicProgram program, AbstractValueRange arch, AbstractValueRange nr)
    {
        var code = program.Instructions;
        uint? verdict = null;
        int? undecided = null;
        var pending = new Stack<(int Pc, AbstractValue A, AbstractValue X, AbstractValue[] M)>();
        pending.Push((0, AbstractValue.Of(0), AbstractValue.Of(0), Enumerable.Repeat(AbstractValue.Unknown, ScratchWords).ToArray()));
        int steps = 0;
        while (pending.Count > 0)
        {
            var (pc, a, x, m) = pending.Pop();
            while (true)
            {
                // Classic jumps only go forward, so a path is at most the program's length.
                if (++steps > 1_000_000) return new DynamicOutcome("classic analysis budget exceeded", pc);
                if ((uint)pc >= (uint)code.Count) return new DynamicOutcome($"falls off the program at insn {pc}", pc);
                var insn = code[pc];
                ushort cls = insn.Class;
                if (cls == Ret)
                {
                    var value = (insn.Code & 0x18) == A_ ? a : AbstractValue.Of(insn.K);
                    if (!value.IsConstant) return new DynamicOutcome($"returns a computed value at insn {pc}", pc);
                    if (verdict is uint v && v != (uint)value.Low)
                        return new DynamicOutcome($"verdict depends on a value the analysis cannot know at insn {undecided ?? pc}", undecided ?? pc);
                    verdict = (uint)value.Low;
                    break;
                }
                switch (cls)
                {
                    case Ld:
                        if (insn.Code == (Ld | W | Abs))
                        {
                            if (insn.K == SeccompData.NrOffset) a = nr.ToValue();
                            else if (insn.K == SeccompData.ArchOffset) a = arch.ToValue();
                            else if (insn.K >= SeccompData.ArgsOffset && insn.K < SeccompData.Size)
                                return new DynamicOutcome($"reads args[{(insn.K - SeccompData.ArgsOffset) / 8}] at insn {pc}", pc);
                            else return new DynamicOutcome($"reads seccomp_data+{insn.K} at insn {pc}", pc);
                        }
                        else if (insn.Code == (Ld | Imm)) a = AbstractValue.Of(insn.K);
                        else if (insn.Code == (Ld | Mem)) a = m[insn.K % ScratchWords];
                        else if (insn.Code == (Ld | W | Len)) a = AbstractValue.Of(SeccompData.Size);
                        else return new DynamicOutcome($"load 0x{insn.Code:x2} at insn {pc}", pc);
                        pc++;
                        break;
                    case Ldx:
                        x = insn.Code == (Ldx | Mem) ? m[insn.K % ScratchWords] : insn.Code == (Ldx | W | Len) ? AbstractValue.Of(SeccompData.Size) : AbstractValue.Of(insn.K);
                        pc++;
                        break;
                    case St: m = (AbstractValue[])m.Clone(); m[insn.K % ScratchWords] = a; pc++; break;
                    case Stx: m = (AbstractValue[])m.Clone(); m[insn.K % ScratchWords] = x; pc++; break;
                    case Misc: if ((insn.Code & 0xf8) == Txa) a = x; else x = a; pc++; break;
                    case ClassicInstruction.Alu:
                        {
                            var operand = (insn.Code & 0x08) == X_ ? x : AbstractValue.Of(insn.K);
                            a = AluResult((ushort)(insn.Code & 0xf0), a, operand);
                            pc++;
                            break;
                        }
                    case Jmp:
                        {
                            ushort op = (ushort)(insn.Code & 0xf0);
                            if (op == Ja) { pc += 1 + (int)insn.K; break; }
                            var operand = (insn.Code & 0x08) == X_ ? x : AbstractValue.Of(insn.K);
                            bool? taken = Decide(op, a, operand);
                            if (taken is bool t) { pc += 1 + (t ? insn.Jt : insn.Jf); break; }
                            undecided ??= pc;
                            pending.Push((pc + 1 + insn.Jt, a, x, m));
                            pc += 1 + insn.Jf;
                            break;
                        }
                    default:
                        return new DynamicOutcome($"instruction 0x{insn.Code:x2} at insn {pc}", pc);
                }
            }
        }
        return verdict is uint result ? new ConstantOutcome(result) : new DynamicOutcome("no path returns", 0);
    }

    private static AbstractValue AluResult(ushort op, AbstractValue a, AbstractValue b)
    {
        if (!a.IsConstant || !b.IsConstant) return AbstractValue.Unknown;
        uint x = (uint)a.Low, y = (uint)b.Low;
        uint? r = op switch
        {
            Add => x + y, Sub => x - y, Mul => x * y, Or => x | y, And => x & y, Xor => x ^ y,
            Div when y != 0 => x / y, Mod when y != 0 => x % y,
            Lsh => y < 32 ? x << (int)y : 0, Rsh => y < 32 ? x >> (int)y : 0, Neg => 0 - x,
            _ => null,
        };
        return r is uint v ? AbstractValue.Of(v) : AbstractValue.Unknown;
    }

    private static bool? Decide(ushort op, AbstractValue a, AbstractValue k)
    {
        if (!a.IsNumber || !k.IsConstant) return null;
        ulong c = (uint)k.Low;
        return op switch
        {
            Jeq => c < a.Low || c > a.High ? false : a.IsConstant ? true : null,
            Jgt => a.Low > c ? true : a.High <= c ? false : null,
            Jge => a.Low >= c ? true : a.High < c ? false : null,
            Jset => a.IsConstant ? (a.Low & c) != 0 : null,
            _ => null,
        };
    }
}
