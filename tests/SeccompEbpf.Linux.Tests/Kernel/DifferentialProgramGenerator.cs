using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>
/// Generates small random programs that never touch the context, built from snippets that
/// exercise the verifier's rules: arithmetic, stack spills and uninitialised reads, branches on
/// ranges, bounded (and sometimes unbounded) loops, map lookups with and without NULL checks,
/// loads, stores and atomics of every size in map values at random indices bounded by a branch,
/// a mask or a shift (sometimes one byte too far), stack accesses through derived and
/// variable-offset pointers, helper calls and bad jumps. Deterministic per seed.
/// </summary>
internal sealed class DifferentialProgramGenerator(int seed, int hashMap, int arrayMap)
{
    /// <summary>Half of the seeds avoid the obvious hazards so that the corpus holds many accepted programs too.</summary>
    private readonly bool _safe = seed % 2 == 0;
    public const int HashValueSize = 8, ArrayValueSize = 16;

    private readonly Random _rng = new(seed);
    private readonly List<Instruction> _code = new();
    private readonly List<List<Instruction>> _functions = new();
    private readonly List<(int At, int Function)> _calls = new();

    private static readonly int[] InterestingImms = [0, 1, -1, 2, 3, 4, 7, 8, 12, 15, 16, 31, 32, 63, 64, 255, 4096, int.MaxValue, int.MinValue];
    private static readonly short[] StackOffsets = [-8, -16, -24, -32, -40, -48, -64, -8, -16, -24, -32, -40, -48, -64, -4, -12, -2, -1, -56, -512, -520, 0, -7];

    public Instruction[] Generate(int snippets)
    {
        _code.Clear();
        _functions.Clear();
        _calls.Clear();
        // R1 is the context: forget it so that no program depends on the program type.
        Emit(Mov(1, 0));
        foreach (var r in new[] { 0, 2, 3, 4, 5, 6, 7, 8, 9 })
            if (_safe || _rng.NextDouble() < 0.85) Emit(Mov(r, Imm()));
        foreach (var off in new short[] { -8, -16, -24, -32, -40, -48, -64 })
            if (_safe || _rng.NextDouble() < 0.7) Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.DW), 10, 0, off, Imm()));
        for (int i = 0; i < snippets; i++) Snippet();
        if (_rng.NextDouble() < 0.92) Emit(Mov(0, _rng.Next(0, 3)));
        Emit(new Instruction(Opcodes.Exit, 0, 0, 0, 0));
        // Functions follow the main program; each call is pointed at its function's first instruction.
        var starts = new List<int>();
        foreach (var body in _functions) { starts.Add(_code.Count); _code.AddRange(body); }
        foreach (var (at, function) in _calls) _code[at] = _code[at] with { Imm = starts[function] - (at + 1) };
        return _code.ToArray();
    }

    private void Snippet()
    {
        int pick = _rng.Next(100);
        if (pick < 14) Alu();
        else if (pick < 18) CallWithStackPointer();
        else if (pick < 27) StackStore();
        else if (pick < 35) StackLoad();
        else if (pick < 47) MapAccess();
        else if (pick < 57) BoundedMapAccess();
        else if (pick < 63) StackThroughPointer();
        else if (pick < 66) VariableStackAccess();
        else if (pick < 77) BranchOverBlock();
        else if (pick < 84) Loop();
        else if (pick < 90) SpillFillPointer();
        else if (pick < 96 || _safe) HelperCall();
        else if (pick < 98) PointerArithmetic();
        else BadJump();
    }

    private void Emit(Instruction insn) => _code.Add(insn);
    private void Emit(IEnumerable<Instruction> insns) => _code.AddRange(insns);

    /// <summary>Mostly registers that survive helper calls (R0, R6..R9), sometimes R2..R5 (often clobbered) or R10.</summary>
    private int Reg(bool allowR10 = false)
    {
        if (_safe) return _rng.Next(6, 10);
        if (allowR10 && _rng.NextDouble() < 0.1) return 10;
        return _rng.NextDouble() < 0.85 ? new[] { 0, 6, 7, 8, 9 }[_rng.Next(5)] : _rng.Next(2, 6);
    }
    private int Imm() => _rng.NextDouble() < 0.8 ? InterestingImms[_rng.Next(InterestingImms.Length)] : _rng.Next(-100000, 100000);
    private MemSize Size() => (MemSize)(_rng.Next(4) * 8);

    private static Instruction Mov(int dst, int imm) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), (byte)dst, 0, 0, imm);
    private static Instruction MovR(int dst, int src) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, true), (byte)dst, (byte)src, 0, 0);
    private static Instruction AluImm(AluOp op, int dst, int imm, bool is64 = true) => new(Opcodes.Alu(is64 ? OpClass.Alu64 : OpClass.Alu, op, false), (byte)dst, 0, 0, imm);
    private static Instruction AluReg(AluOp op, int dst, int src, bool is64 = true) => new(Opcodes.Alu(is64 ? OpClass.Alu64 : OpClass.Alu, op, true), (byte)dst, (byte)src, 0, 0);
    private static Instruction Jmp(JmpOp op, int dst, int imm, int off, bool is64 = true) => new(Opcodes.Jump(is64 ? OpClass.Jmp : OpClass.Jmp32, op, false), (byte)dst, 0, (short)off, imm);
    private static Instruction Call(int id) => new(Opcodes.Call, 0, 0, 0, id);

    private void Alu()
    {
        AluOp[] ops = [AluOp.Add, AluOp.Sub, AluOp.Mul, AluOp.And, AluOp.Or, AluOp.Xor, AluOp.Lsh, AluOp.Rsh, AluOp.Arsh, AluOp.Mov, AluOp.Div, AluOp.Mod, AluOp.Neg];
        var op = ops[_rng.Next(ops.Length)];
        bool is64 = _rng.NextDouble() < 0.75;
        int dst = Reg();
        if (op == AluOp.Neg) { Emit(new Instruction(Opcodes.Alu(is64 ? OpClass.Alu64 : OpClass.Alu, AluOp.Neg, false), (byte)dst, 0, 0, 0)); return; }
        if (_rng.NextDouble() < 0.35) { Emit(AluReg(op, dst, Reg(allowR10: true), is64)); return; }
        int imm = op is AluOp.Lsh or AluOp.Rsh or AluOp.Arsh ? _rng.Next(0, is64 ? 64 : 32) : Imm();
        if (op is AluOp.Div or AluOp.Mod && imm == 0 && (_safe || _rng.NextDouble() < 0.8)) imm = 3;
        Emit(AluImm(op, dst, imm, is64));
    }

    private void StackStore()
    {
        var size = Size();
        short off = StackOffsets[_rng.Next(StackOffsets.Length)];
        if (_safe) { size = MemSize.DW; off = SafeStackOffset(); }
        if (_rng.NextDouble() < 0.5)
            Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, size), 10, 0, off, Imm()));
        else
            Emit(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, size), 10, (byte)Reg(allowR10: true), off, 0));
    }

    private void StackLoad()
    {
        short off = _safe ? SafeStackOffset() : StackOffsets[_rng.Next(StackOffsets.Length)];
        Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, _safe ? MemSize.DW : Size()), (byte)Reg(), 10, off, 0));
    }

    private short SafeStackOffset() => new short[] { -8, -16, -24, -32, -40, -48, -64 }[_rng.Next(7)];

    private void HelperCall() => Emit(Call(new[] { 5, 7, 8 }[_rng.Next(3)]));

    /// <summary>Optional variable index in R7, key on the stack, lookup, optional NULL check, access to the value.</summary>
    private void MapAccess()
    {
        bool array = _rng.NextDouble() < 0.5;
        int valueSize = array ? ArrayValueSize : HashValueSize;
        int indexKind = _rng.Next(_safe ? 2 : 4); // 0 none, 1 masked, 2 branch-bounded, 3 unbounded
        if (indexKind > 0)
        {
            Emit(Call(7));
            Emit(MovR(7, 0));
            if (indexKind == 1) Emit(AluImm(AluOp.And, 7, _safe ? 3 : new[] { 3, 7, 8, 15, 31 }[_rng.Next(5)]));
            if (indexKind == 2) { Emit(Jmp(JmpOp.Jle, 7, new[] { 4, 8, 12, 16 }[_rng.Next(4)], 1)); Emit(Mov(7, 0)); }
        }
        if (_safe || _rng.NextDouble() < 0.9) Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.W), 10, 0, -4, _rng.Next(0, 5)));
        Emit(MovR(2, 10));
        Emit(AluImm(AluOp.Add, 2, -4));
        var (lo, hi) = Instruction.LoadImm64(1, (uint)(array ? arrayMap : hashMap), LoadImmSource.MapFd);
        Emit(lo); Emit(hi);
        Emit(Call(1));
        var body = new List<Instruction>();
        if (indexKind > 0) body.Add(AluReg(AluOp.Add, 0, 7));
        var size = _safe ? MemSize.W : Size();
        if (_safe && indexKind == 0) size = Size();
        short off = _safe ? (short)(indexKind == 0 ? 0 : _rng.Next(0, valueSize - 7)) : (short)(_rng.NextDouble() < 0.8 ? _rng.Next(0, valueSize / 2) : _rng.Next(-2, valueSize + 2));
        if (_rng.NextDouble() < 0.5)
            body.Add(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, size), (byte)Reg(), 0, off, 0));
        else
            body.Add(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, size), 0, 0, off, Imm()));
        if (_rng.NextDouble() < 0.1) body.Add(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, MemSize.DW), 0, 10, 0, 0));
        if (_safe || _rng.NextDouble() < 0.88) Emit(Jmp(JmpOp.Jeq, 0, 0, body.Count));
        Emit(body);
    }

    /// <summary>
    /// A load, store or atomic of a random size in a map value, at a random index bounded by a
    /// branch, a mask or a mask and shift (aligned strides), plus a fixed offset; unsafe seeds
    /// sometimes let the index reach one byte past the value.
    /// </summary>
    private void BoundedMapAccess()
    {
        bool array = _rng.NextDouble() < 0.5;
        int valueSize = array ? ArrayValueSize : HashValueSize;
        var size = Size();
        int bytes = size.Bytes();
        bool atomic = bytes >= 4 && _rng.NextDouble() < 0.3;
        int fixedOff = _rng.Next(0, valueSize - bytes + 1);
        if (atomic) fixedOff &= ~(bytes - 1);
        int room = valueSize - bytes - fixedOff;
        bool overshoot = !_safe && _rng.NextDouble() < 0.3;
        Emit(Call(7));
        Emit(MovR(7, 0));
        int bounding = atomic && (_safe || _rng.NextDouble() < 0.8) ? 2 : _rng.Next(3);
        switch (bounding)
        {
            case 0: // if (idx > room) idx = 0
                Emit(Jmp(JmpOp.Jle, 7, room + (overshoot ? 1 : 0), 1));
                Emit(Mov(7, 0));
                break;
            case 1: // idx &= 2^k - 1 <= room
                int mask = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)room + 1);
                if (mask > room + 1) mask /= 2;
                Emit(AluImm(AluOp.And, 7, overshoot ? mask * 2 - 1 : mask - 1));
                break;
            default: // idx = (r & (n - 1)) * bytes: a stride that keeps the access aligned
                int strides = room / bytes + 1;
                int count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)strides);
                if (count > strides) count /= 2;
                if (overshoot) count *= 2;
                Emit(AluImm(AluOp.And, 7, count - 1));
                Emit(AluImm(AluOp.Lsh, 7, System.Numerics.BitOperations.Log2((uint)bytes)));
                break;
        }
        Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.W), 10, 0, -4, _rng.Next(0, 5)));
        Emit(MovR(2, 10));
        Emit(AluImm(AluOp.Add, 2, -4));
        var (lo, hi) = Instruction.LoadImm64(1, (uint)(array ? arrayMap : hashMap), LoadImmSource.MapFd);
        Emit(lo); Emit(hi);
        Emit(Call(1));
        var body = new List<Instruction> { MovR(6, 0), AluReg(AluOp.Add, 6, 7) };
        if (atomic)
        {
            int[] ops = [AtomicOp.Add, AtomicOp.Or, AtomicOp.And, AtomicOp.Xor, AtomicOp.Add | AtomicOp.Fetch, AtomicOp.Xchg, AtomicOp.CmpXchg];
            int op = ops[_rng.Next(ops.Length)];
            body.Add(Mov(2, Imm()));
            if (op == AtomicOp.CmpXchg) body.Add(Mov(0, _rng.Next(0, 3)));
            body.Add(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), 6, 2, (short)fixedOff, op));
        }
        else
            body.Add(_rng.Next(3) switch
            {
                0 => new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, size), (byte)Reg(), 6, (short)fixedOff, 0),
                1 => new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, size), 6, 0, (short)fixedOff, Imm()),
                _ => new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, size), 6, (byte)Reg(), (short)fixedOff, 0),
            });
        Emit(Jmp(JmpOp.Jeq, 0, 0, body.Count));
        Emit(body);
    }

    /// <summary>A stack access through a copy of R10 moved down by a constant, with a second constant in the instruction.</summary>
    private void StackThroughPointer()
    {
        var size = _safe ? MemSize.DW : Size();
        int bytes = size.Bytes();
        int baseOff = -8 * _rng.Next(1, 9);
        int at = _safe ? SafeStackOffset() : _rng.NextDouble() < 0.9 ? -8 * _rng.Next(1, 9) + bytes * _rng.Next(0, 8 / bytes) : _rng.Next(-530, 8);
        if (_safe && at == -56) at = -48; // -56 holds a spilled pointer in safe seeds
        int reg = _safe ? 6 : Reg();
        Emit(MovR(reg, 10));
        Emit(AluImm(AluOp.Add, reg, baseOff));
        short off = (short)(at - baseOff);
        switch (_rng.Next(4))
        {
            case 0: Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, size), (byte)(reg == 7 ? 8 : 7), (byte)reg, off, 0)); break;
            case 1: Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, size), (byte)reg, 0, off, Imm())); break;
            case 2: Emit(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, size), (byte)reg, (byte)(reg == 9 ? 8 : 9), off, 0)); break;
            default:
                if (bytes < 4) { size = MemSize.W; if (at % 4 != 0) off -= (short)(at % 4); }
                int operand = reg == 2 ? 3 : 2;
                Emit(Mov(operand, Imm()));
                Emit(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), (byte)reg, (byte)operand, off, AtomicOp.Add));
                break;
        }
    }

    /// <summary>
    /// A stack access at a variable, bounded and aligned offset (the kernel allows them for
    /// privileged loaders): R6 = fp-64 + (random &amp; mask), then a load or store at R6.
    /// </summary>
    private void VariableStackAccess()
    {
        var size = _safe ? MemSize.DW : Size();
        int bytes = size.Bytes();
        int maxIndex = _safe || _rng.NextDouble() < 0.8 ? 64 - bytes : 64;
        Emit(Call(7));
        Emit(MovR(7, 0));
        int strides = maxIndex / bytes + 1;
        int count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)strides);
        if (count > strides) count /= 2;
        Emit(AluImm(AluOp.And, 7, count - 1));
        Emit(AluImm(AluOp.Lsh, 7, System.Numerics.BitOperations.Log2((uint)bytes)));
        Emit(MovR(6, 10));
        Emit(AluImm(AluOp.Add, 6, -64));
        Emit(AluReg(AluOp.Add, 6, 7));
        if (_rng.NextDouble() < 0.5)
            Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, size), 8, 6, 0, 0));
        else
            Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, size), 6, 0, 0, Imm()));
    }

    /// <summary>
    /// A bpf-to-bpf call that passes a pointer to the caller's stack in R1 and a scalar in R2; the
    /// function reads or writes the caller's slot, spills and fills the pointer in its own frame and
    /// uses its own stack. Unsafe seeds sometimes reach past the caller's frame or return the pointer.
    /// </summary>
    private void CallWithStackPointer()
    {
        int slot = -8 * _rng.Next(1, 9);
        if (_safe && slot == -56) slot = -48; // -56 holds a spilled pointer in safe seeds
        Emit(MovR(1, 10));
        Emit(AluImm(AluOp.Add, 1, slot));
        Emit(Mov(2, Imm()));
        _calls.Add((_code.Count, _functions.Count));
        Emit(new Instruction(Opcodes.Call, 0, CallSource.Local, 0, 0));

        var body = new List<Instruction>();
        short reach = (short)(!_safe && _rng.NextDouble() < 0.15 ? -slot : 0); // -slot: fp0 of the caller, past its frame
        int n = _rng.Next(1, 4);
        for (int i = 0; i < n; i++)
            switch (_rng.Next(4))
            {
                case 0: body.Add(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.DW), 0, 1, reach, 0)); break;
                case 1: body.Add(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, MemSize.DW), 1, 2, reach, 0)); break;
                case 2:
                    body.Add(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, MemSize.DW), 10, 1, -8, 0));
                    body.Add(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.DW), 3, 10, -8, 0));
                    body.Add(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.W), 0, 3, 4, 0));
                    break;
                default:
                    body.Add(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, MemSize.W), 10, 2, -12, 0));
                    body.Add(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.H), 0, 10, -10, 0));
                    break;
            }
        body.Add(!_safe && _rng.NextDouble() < 0.1 ? MovR(0, 1) : AluReg(AluOp.Add, 2, 2));
        if (body[^1].Opcode != Opcodes.Alu(OpClass.Alu64, AluOp.Mov, true)) body.Add(MovR(0, 2));
        body.Add(new Instruction(Opcodes.Exit, 0, 0, 0, 0));
        _functions.Add(body);
    }

    private void BranchOverBlock()
    {
        JmpOp[] ops = [JmpOp.Jeq, JmpOp.Jne, JmpOp.Jgt, JmpOp.Jge, JmpOp.Jlt, JmpOp.Jle, JmpOp.Jsgt, JmpOp.Jsge, JmpOp.Jslt, JmpOp.Jsle, JmpOp.Jset];
        var saved = _code.Count;
        int blockLen = 0;
        var op = ops[_rng.Next(ops.Length)];
        int dst = Reg();
        bool is64 = _rng.NextDouble() < 0.8;
        Emit(Jmp(op, dst, Imm(), 0, is64));
        int n = _rng.Next(1, 4);
        for (int i = 0; i < n; i++)
        {
            int pick = _rng.Next(4);
            if (pick == 0) Alu(); else if (pick == 1) StackStore(); else if (pick == 2) StackLoad(); else Emit(Mov(Reg(), Imm()));
        }
        blockLen = _code.Count - saved - 1;
        _code[saved] = _code[saved] with { Offset = (short)blockLen };
    }

    /// <summary>A counted loop in R8 or R9; occasionally one whose counter never changes.</summary>
    private void Loop()
    {
        int counter = _rng.NextDouble() < 0.5 ? 8 : 9;
        int limit = _rng.Next(1, 48);
        Emit(Mov(counter, 0));
        int head = _code.Count;
        if (!_safe && _rng.NextDouble() < 0.03)
        {
            // A loop that never ends: both verifiers must reject it.
            Emit(Jmp(JmpOp.Jne, counter, limit, -1));
            return;
        }
        Emit(AluImm(AluOp.Add, counter, 1));
        int n = _rng.Next(0, 3);
        for (int i = 0; i < n; i++)
        {
            int dst = _rng.Next(2, 8);
            if (dst == counter) dst = 6;
            Emit(AluImm(new[] { AluOp.Add, AluOp.Xor, AluOp.And, AluOp.Mov }[_rng.Next(4)], dst, Imm()));
        }
        if (_rng.NextDouble() < 0.3)
            Emit(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, MemSize.DW), 10, (byte)counter, -64, 0));
        int back = head - (_code.Count + 1);
        Emit(Jmp(_rng.NextDouble() < 0.5 ? JmpOp.Jlt : JmpOp.Jne, counter, limit, back));
    }

    private void SpillFillPointer()
    {
        short off = _safe ? (short)-56 : new short[] { -8, -16, -24, -32 }[_rng.Next(4)];
        Emit(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, MemSize.DW), 10, 10, off, 0));
        if (!_safe && _rng.NextDouble() < 0.3)
            Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, _rng.NextDouble() < 0.5 ? MemSize.B : MemSize.DW), 10, 0, off, 0));
        int dst = _safe ? 0 : Reg();
        Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, _safe || _rng.NextDouble() < 0.85 ? MemSize.DW : MemSize.W), (byte)dst, 10, off, 0));
        Emit(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.DW), (byte)dst, 0, _safe ? SafeStackOffset() : (short)_rng.Next(-72, 8), 1));
        if (_safe) Emit(Mov(0, 0));
    }

    private void PointerArithmetic()
    {
        int dst = Reg();
        Emit(MovR(dst, 10));
        Emit(_rng.Next(3) switch
        {
            0 => AluImm(AluOp.Add, dst, _rng.Next(-600, 16)),
            1 => AluReg(AluOp.Add, dst, Reg()),
            _ => AluImm(new[] { AluOp.Mul, AluOp.And, AluOp.Or, AluOp.Sub }[_rng.Next(4)], dst, 8, _rng.NextDouble() < 0.8),
        });
        Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, Size()), (byte)Reg(), (byte)dst, 0, 0));
    }

    private void BadJump()
    {
        if (_rng.NextDouble() < 0.5)
        {
            Emit(Jmp(JmpOp.Jeq, Reg(), 0, 1));
            var (lo, hi) = Instruction.LoadImm64((byte)Reg(), 42);
            Emit(lo); Emit(hi);
        }
        else Emit(Jmp(JmpOp.Jne, Reg(), 0, 30000));
    }
}
