using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Model;

namespace SeccompEbpf.Split;

/// <summary>
/// Runs an eBPF seccomp program with seccomp_data.nr and .arch fixed (a constant or a range that no
/// constant of the program splits) and everything else unknown, following both sides of every
/// branch it cannot decide. The program's verdict is static only when every reachable path ends with
/// the same constant r0 and no path reads the arguments or the instruction pointer, calls a helper,
/// or reads a map that can change (frozen read-only maps such as .rodata are constants). Anything the
/// evaluator does not understand makes the verdict dynamic: unsure means user space decides.
/// </summary>
public static class EbpfPartialEvaluator
{
    /// <summary>Instructions processed per analysis before giving up (loops with constant bounds finish well within it).</summary>
    public const int StepBudget = 200_000;

    private const int MaxDepth = 8;

    public static FilterOutcome Evaluate(BpfProgram program, AbstractValueRange arch, AbstractValueRange nr)
    {
        var run = new Run(program, arch.ToValue(), nr.ToValue());
        return run.Execute();
    }

    private sealed class Run(BpfProgram program, AbstractValue arch, AbstractValue nr)
    {
        private readonly Instruction[] _code = program.Instructions;
        private int _steps;
        private uint? _verdict;
        private (int Pc, string Why)? _firstUndecided;

        public FilterOutcome Execute()
        {
            var pending = new Stack<AbstractState>();
            pending.Push(AbstractState.Initial());
            while (pending.Count > 0)
            {
                var state = pending.Pop();
                var stop = Walk(state, pending);
                if (stop is not null) return stop;
            }
            if (_verdict is uint v) return new ConstantOutcome(v);
            return new DynamicOutcome("no path reaches exit", 0);
        }

        /// <summary>Follows one path to its exit; forks push the other side. Returns a dynamic outcome to stop everything.</summary>
        private DynamicOutcome? Walk(AbstractState s, Stack<AbstractState> pending)
        {
            while (true)
            {
                if (++_steps > StepBudget) return new DynamicOutcome($"analysis stopped after {StepBudget} instructions (loop?) at insn {s.Pc}", s.Pc);
                if ((uint)s.Pc >= (uint)_code.Length) return new DynamicOutcome($"falls off the program at insn {s.Pc}", s.Pc);
                int pc = s.Pc;
                var insn = _code[pc];
                switch (insn.Class)
                {
                    case OpClass.Alu or OpClass.Alu64:
                        s.Regs[insn.Dst] = Alu(insn, s);
                        s.Pc++;
                        break;
                    case OpClass.Ld:
                        {
                            if (!insn.IsLoadImm64 || pc + 1 >= _code.Length) return new DynamicOutcome($"legacy packet load at insn {pc}", pc);
                            var problem = LoadImm64(insn, _code[pc + 1], s, pc);
                            if (problem is not null) return problem;
                            s.Pc += 2;
                            break;
                        }
                    case OpClass.Ldx:
                        {
                            var problem = LoadMemory(insn, s, pc);
                            if (problem is not null) return problem;
                            s.Pc++;
                            break;
                        }
                    case OpClass.St or OpClass.Stx:
                        {
                            var problem = Store(insn, s, pc);
                            if (problem is not null) return problem;
                            s.Pc++;
                            break;
                        }
                    case OpClass.Jmp or OpClass.Jmp32:
                        {
                            if (insn.IsExit)
                            {
                                if (s.Frames.Count > 0) { s.Return(); break; }
                                var r0 = s.Regs[0].Low32();
                                if (!r0.IsConstant) return new DynamicOutcome($"the returned action is not a constant at exit insn {pc}", pc);
                                if (_verdict is uint v && v != (uint)r0.Low)
                                {
                                    var (at, why) = _firstUndecided ?? (pc, "an unknown value");
                                    return new DynamicOutcome($"verdict depends on {why} at insn {at}", at);
                                }
                                _verdict = (uint)r0.Low;
                                return null;
                            }
                            if (insn.IsHelperCall)
                                return new DynamicOutcome($"calls helper {HelperName(insn.Imm)} at insn {pc}", pc);
                            if (insn.IsLocalCall)
                            {
                                if (s.Frames.Count + 1 >= MaxDepth) return new DynamicOutcome($"calls nest too deep at insn {pc}", pc);
                                s.Call(pc + 1 + insn.Imm);
                                break;
                            }
                            if (insn.Opcode == Opcodes.Call || insn.IsCallx) return new DynamicOutcome($"indirect or kfunc call at insn {pc}", pc);
                            if (insn.JmpOp == JmpOp.Ja)
                            {
                                s.Pc = pc + 1 + (insn.Class == OpClass.Jmp32 ? insn.Imm : insn.Offset);
                                break;
                            }
                            var taken = Branch(insn, s);
                            int target = pc + 1 + insn.Offset;
                            if (taken is bool t) { s.Pc = t ? target : pc + 1; break; }
                            _firstUndecided ??= (pc, $"a value the analysis cannot know (r{insn.Dst} {insn.JmpOp.ToString().ToLowerInvariant()} {(insn.UsesSrcRegister ? $"r{insn.Src}" : insn.Imm.ToString())})");
                            var other = s.Clone();
                            other.Pc = target;
                            pending.Push(other);
                            s.Pc = pc + 1;
                            break;
                        }
                    default:
                        return new DynamicOutcome($"instruction class {insn.Class} at insn {pc}", pc);
                }
            }
        }

        private static string HelperName(int id) => ProgramType.SeccompHelperCatalog.NameOf(id);

        private DynamicOutcome? LoadImm64(Instruction low, Instruction high, AbstractState s, int pc)
        {
            ulong imm = Instruction.Imm64(low, high);
            switch (low.Src)
            {
                case LoadImmSource.Imm64:
                    s.Regs[low.Dst] = AbstractValue.Of(imm);
                    return null;
                case LoadImmSource.MapFd or LoadImmSource.MapIdx:
                    s.Regs[low.Dst] = new AbstractValue(AbstractKind.MapHandle, Map: low.Imm);
                    return null;
                case LoadImmSource.MapValue or LoadImmSource.MapIdxValue:
                    s.Regs[low.Dst] = new AbstractValue(AbstractKind.MapValue, (uint)high.Imm, Map: low.Imm);
                    return null;
                default:
                    return new DynamicOutcome($"lddw with source {low.Src} at insn {pc}", pc);
            }
        }

        private DynamicOutcome? LoadMemory(Instruction insn, AbstractState s, int pc)
        {
            var basePtr = s.Regs[insn.Src];
            int size = insn.MemSize.Bytes();
            bool signExtend = insn.MemMode == MemMode.MemSx;
            if (insn.MemMode is not (MemMode.Mem or MemMode.MemSx)) return new DynamicOutcome($"load mode {insn.MemMode} at insn {pc}", pc);
            switch (basePtr.Kind)
            {
                case AbstractKind.Context:
                    {
                        if (basePtr.Low == AbstractValue.UnknownOffset) return new DynamicOutcome($"reads seccomp_data at a variable offset at insn {pc}", pc);
                        long offset = (long)basePtr.Low + insn.Offset;
                        AbstractValue field;
                        if (offset == SeccompData.NrOffset && size == 4) field = nr;
                        else if (offset == SeccompData.ArchOffset && size == 4) field = arch;
                        else if (offset == SeccompData.InstructionPointerOffset) return new DynamicOutcome($"reads instruction_pointer at insn {pc}", pc);
                        else if (offset >= SeccompData.ArgsOffset && offset < SeccompData.Size)
                            return new DynamicOutcome($"reads args[{(offset - SeccompData.ArgsOffset) / 8}] at insn {pc}", pc);
                        else return new DynamicOutcome($"reads seccomp_data+{offset} ({size} bytes) at insn {pc}", pc);
                        s.Regs[insn.Dst] = signExtend ? SignExtend(field, size) : field;
                        return null;
                    }
                case AbstractKind.Stack:
                    s.Regs[insn.Dst] = basePtr.Low == AbstractValue.UnknownOffset
                        ? AbstractValue.Unknown
                        : Extend(s.Load(basePtr.Frame, (long)basePtr.Low + insn.Offset, size), size, signExtend);
                    return null;
                case AbstractKind.MapValue:
                    {
                        var map = basePtr.Map >= 0 && basePtr.Map < program.Maps.Count ? program.Maps[basePtr.Map] : null;
                        if (map is null) return new DynamicOutcome($"reads an unknown map at insn {pc}", pc);
                        if (!map.Spec.ReadOnlyForProgram || map.Spec.InitialValue is null)
                            return new DynamicOutcome($"reads map {map.Name} at insn {pc} (its contents can change)", pc);
                        long offset = (long)basePtr.Low + insn.Offset;
                        var bytes = map.Spec.InitialValue;
                        if (basePtr.Low == AbstractValue.UnknownOffset || offset < 0 || offset + size > bytes.Length)
                        { s.Regs[insn.Dst] = AbstractValue.Unknown; return null; }
                        ulong value = 0;
                        for (int i = size - 1; i >= 0; i--) value = (value << 8) | bytes[offset + i];
                        s.Regs[insn.Dst] = Extend(AbstractValue.Of(value), size, signExtend);
                        return null;
                    }
                default:
                    return new DynamicOutcome($"loads through r{insn.Src}, a pointer the analysis does not follow, at insn {pc}", pc);
            }
        }

        private static AbstractValue Extend(AbstractValue v, int size, bool signExtend) => signExtend ? SignExtend(v, size) : v;

        private static AbstractValue SignExtend(AbstractValue v, int size)
        {
            if (!v.IsConstant) return AbstractValue.Unknown;
            int shift = 64 - 8 * size;
            return AbstractValue.Of((ulong)((long)(v.Low << shift) >> shift));
        }

        private DynamicOutcome? Store(Instruction insn, AbstractState s, int pc)
        {
            var basePtr = s.Regs[insn.Dst];
            int size = insn.MemSize.Bytes();
            if (insn.Class == OpClass.Stx && insn.MemMode == MemMode.Atomic)
            {
                if (basePtr.Kind != AbstractKind.Stack) return new DynamicOutcome($"atomic operation on memory other than the stack at insn {pc}", pc);
                // The old value may come back in a register (fetch forms): forget everything it touches.
                s.ForgetFrame(basePtr.Frame);
                s.Regs[insn.Src] = AbstractValue.Unknown;
                s.Regs[0] = AbstractValue.Unknown;
                return null;
            }
            if (insn.MemMode != MemMode.Mem) return new DynamicOutcome($"store mode {insn.MemMode} at insn {pc}", pc);
            var value = insn.Class == OpClass.St ? AbstractValue.Of((ulong)(long)insn.Imm) : s.Regs[insn.Src];
            switch (basePtr.Kind)
            {
                case AbstractKind.Stack:
                    if (basePtr.Low == AbstractValue.UnknownOffset) s.ForgetFrame(basePtr.Frame);
                    else s.Store(basePtr.Frame, (long)basePtr.Low + insn.Offset, size, value);
                    return null;
                case AbstractKind.MapValue:
                    return new DynamicOutcome($"writes map {MapName(basePtr.Map)} at insn {pc}", pc);
                default:
                    return new DynamicOutcome($"stores through r{insn.Dst}, a pointer the analysis does not follow, at insn {pc}", pc);
            }
        }

        private string MapName(int index) => index >= 0 && index < program.Maps.Count ? program.Maps[index].Name : $"#{index}";

        private static AbstractValue Alu(Instruction insn, AbstractState s)
        {
            bool is64 = insn.Class == OpClass.Alu64;
            var dst = s.Regs[insn.Dst];
            var src = insn.UsesSrcRegister ? s.Regs[insn.Src] : AbstractValue.Of(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
            var op = insn.AluOp;
            if (op == AluOp.Mov && insn.Offset == 0)
                return is64 ? src : src.Low32();
            // Pointer arithmetic with a constant keeps the pointer; anything else forgets the offset.
            if (is64 && dst.IsPointer && dst.Kind != AbstractKind.MapHandle && op is AluOp.Add or AluOp.Sub)
            {
                if (!src.IsConstant || dst.Low == AbstractValue.UnknownOffset) return dst with { Low = AbstractValue.UnknownOffset };
                return dst with { Low = op == AluOp.Add ? dst.Low + src.Low : dst.Low - src.Low };
            }
            if (!dst.IsConstant || !src.IsConstant || insn.Offset != 0) return AbstractValue.Unknown;
            ulong a = dst.Low, b = src.Low;
            if (!is64) { a = (uint)a; b = (uint)b; }
            int shiftMask = is64 ? 63 : 31;
            ulong? r = op switch
            {
                AluOp.Add => a + b,
                AluOp.Sub => a - b,
                AluOp.Mul => a * b,
                AluOp.Div => is64 ? AluSemantics.Div64(a, b) : AluSemantics.Div32(a, b),
                AluOp.Mod => is64 ? AluSemantics.Mod64(a, b) : AluSemantics.Mod32(a, b),
                AluOp.Or => a | b,
                AluOp.And => a & b,
                AluOp.Xor => a ^ b,
                AluOp.Lsh => a << (int)(b & (ulong)shiftMask),
                AluOp.Rsh => a >> (int)(b & (ulong)shiftMask),
                AluOp.Arsh => is64 ? (ulong)((long)a >> (int)(b & 63)) : (uint)((int)a >> (int)(b & 31)),
                AluOp.Neg => 0 - a,
                _ => null,
            };
            if (r is not ulong result) return AbstractValue.Unknown;
            return AbstractValue.Of(is64 ? result : (uint)result);
        }

        /// <summary>The branch outcome when every value the operands may hold agrees; null when it depends.</summary>
        private static bool? Branch(Instruction insn, AbstractState s)
        {
            bool is32 = insn.Class == OpClass.Jmp32;
            var left = s.Regs[insn.Dst];
            var right = insn.UsesSrcRegister ? s.Regs[insn.Src] : AbstractValue.Of((ulong)(long)insn.Imm);
            if (is32) { left = left.Low32(); right = right.Low32(); }
            if (!left.IsNumber || !right.IsNumber) return null;
            if (left.IsConstant && right.IsConstant) return Compare(insn.JmpOp, left.Low, right.Low, is32);
            if (!left.IsConstant && !right.IsConstant) return null;
            var op = insn.JmpOp;
            var range = left.IsConstant ? right : left;
            ulong c = left.IsConstant ? left.Low : right.Low;
            if (op is JmpOp.Jeq or JmpOp.Jne)
            {
                bool inside = c >= range.Low && c <= range.High;
                if (inside) return null;
                return op == JmpOp.Jne;
            }
            if (op == JmpOp.Jset) return null;
            if (op is JmpOp.Jsgt or JmpOp.Jsge or JmpOp.Jslt or JmpOp.Jsle && CrossesSignBoundary(range, is32)) return null;
            bool atLow = left.IsConstant ? Compare(op, c, range.Low, is32) : Compare(op, range.Low, c, is32);
            bool atHigh = left.IsConstant ? Compare(op, c, range.High, is32) : Compare(op, range.High, c, is32);
            return atLow == atHigh ? atLow : null;
        }

        private static bool CrossesSignBoundary(AbstractValue range, bool is32)
        {
            ulong boundary = is32 ? 0x8000_0000UL : 0x8000_0000_0000_0000UL;
            return range.Low < boundary && range.High >= boundary;
        }

        private static bool Compare(JmpOp op, ulong a, ulong b, bool is32)
        {
            long sa = is32 ? (int)a : (long)a, sb = is32 ? (int)b : (long)b;
            return op switch
            {
                JmpOp.Jeq => a == b,
                JmpOp.Jne => a != b,
                JmpOp.Jgt => a > b,
                JmpOp.Jge => a >= b,
                JmpOp.Jlt => a < b,
                JmpOp.Jle => a <= b,
                JmpOp.Jset => (a & b) != 0,
                JmpOp.Jsgt => sa > sb,
                JmpOp.Jsge => sa >= sb,
                JmpOp.Jslt => sa < sb,
                JmpOp.Jsle => sa <= sb,
                _ => false,
            };
        }
    }
}

/// <summary>A value fixed for one analysis: a single number, or a range the program treats alike.</summary>
public readonly record struct AbstractValueRange(ulong Low, ulong High)
{
    public static AbstractValueRange Exactly(ulong value) => new(value, value);
    internal AbstractValue ToValue() => AbstractValue.Between(Low, High);
}
