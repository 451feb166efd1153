using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>Loads, stores and atomics: every access is checked against the memory its pointer may reach.</summary>
internal sealed partial class VerifierRun
{
    private void ExecMemory(Instruction insn)
    {
        int size = insn.MemSize.Bytes();
        switch (insn.Class)
        {
            case OpClass.Ldx:
            {
                var ptr = Read(insn.Src);
                if (insn.Dst == 10) Fail(VerifierRule.FramePointerWrite, "R10 (the frame pointer) is read-only");
                var value = Access(ptr, insn.Src, insn.Offset, size, write: false, stored: null);
                if (insn.MemMode == MemMode.MemSx && value.IsScalar)
                    value = RegisterState.Scalar(ScalarAlu.SignExtend(true, value.Value, size * 8));
                Set(insn.Dst, value);
                break;
            }
            case OpClass.St:
            {
                var ptr = Read(insn.Dst);
                ulong imm = (ulong)(long)insn.Imm;
                Access(ptr, insn.Dst, insn.Offset, size, write: true,
                    stored: RegisterState.ConstScalar(size == 8 ? imm : imm & ((1UL << (size * 8)) - 1)));
                break;
            }
            case OpClass.Stx when insn.MemMode == MemMode.Atomic:
                ExecAtomic(insn, size);
                break;
            default:
            {
                var ptr = Read(insn.Dst);
                var value = Read(insn.Src);
                if (value.IsScalar && size < 8)
                    value = RegisterState.Scalar(value.Value.IsConst
                        ? ScalarValue.Const(value.Value.ConstValue & ((1UL << (size * 8)) - 1)) : ScalarValue.UnknownOfSize(size));
                Access(ptr, insn.Dst, insn.Offset, size, write: true, stored: value, storedReg: insn.Src);
                break;
            }
        }
    }

    private void ExecAtomic(Instruction insn, int size)
    {
        var ptr = Read(insn.Dst);
        var operand = Read(insn.Src);
        if (operand.IsPointer) Fail(VerifierRule.AtomicAccess, $"the atomic operand R{insn.Src} must be a scalar, not {operand}");
        if (insn.Imm == AtomicOp.CmpXchg && Read(0).IsPointer) Fail(VerifierRule.AtomicAccess, "cmpxchg compares with R0, which must be a scalar");
        if (ptr.Type is not (RegisterType.PtrToStack or RegisterType.PtrToMapValue or RegisterType.PtrToMem))
            Fail(VerifierRule.AtomicAccess, $"atomic operations need stack, map value or helper memory; R{insn.Dst} is {ptr}");
        // As the kernel, atomics are always strictly aligned (stack accesses are checked in StackAccess).
        if (ptr.Type != RegisterType.PtrToStack)
        {
            var at = ptr.Value.Bits + Tnum.Const((ulong)(long)(ptr.Off + insn.Offset));
            if ((at.Value & (ulong)(size - 1)) != 0 || (at.Mask & (ulong)(size - 1)) != 0)
                Fail(VerifierRule.AtomicAccess, $"misaligned atomic access: R{insn.Dst}={ptr} plus {insn.Offset} is not known to be a multiple of {size}");
        }
        var old = Access(ptr, insn.Dst, insn.Offset, size, write: false, stored: null);
        if (old.IsPointer) Fail(VerifierRule.AtomicAccess, $"atomic operation on a stack slot holding a pointer ({old})");
        Access(ptr, insn.Dst, insn.Offset, size, write: true, stored: RegisterState.Scalar(ScalarValue.UnknownOfSize(size)));
        var fetched = RegisterState.Scalar(ScalarValue.UnknownOfSize(size));
        if (insn.Imm == AtomicOp.CmpXchg) Set(0, fetched);
        else if ((insn.Imm & AtomicOp.Fetch) != 0) Set(insn.Src, fetched);
    }

    private void ExecLoadImm64(Instruction lo, Instruction hi)
    {
        switch (lo.Src)
        {
            case LoadImmSource.Imm64:
                Set(lo.Dst, RegisterState.ConstScalar(Instruction.Imm64(lo, hi)));
                return;
            case LoadImmSource.MapFd or LoadImmSource.MapIdx or LoadImmSource.MapValue or LoadImmSource.MapIdxValue:
            {
                if (!_o.AllowMapAccess) Fail(VerifierRule.MapReference, "map access is refused for this program (extended features are refused by the LSM: no helpers, no maps)");
                if (!_o.Maps.TryGetValue(lo.Imm, out var map)) Fail(VerifierRule.MapReference, $"lddw refers to map {lo.Imm}, which the program does not define");
                if (lo.Src is LoadImmSource.MapFd or LoadImmSource.MapIdx)
                {
                    Set(lo.Dst, RegisterState.Pointer(RegisterType.ConstPtrToMap) with { Map = map });
                    return;
                }
                if (map!.Type != MapType.Array || map.MaxEntries != 1)
                    Fail(VerifierRule.MapReference, $"direct value access needs a single-entry array map; {map.Name} is {map.Type} with {map.MaxEntries} entries");
                if (hi.Imm < 0 || hi.Imm >= map.ValueSize)
                    Fail(VerifierRule.MapValueBounds, $"direct value offset {hi.Imm} is outside the {map.ValueSize}-byte value of {map.Name}");
                Set(lo.Dst, RegisterState.Pointer(RegisterType.PtrToMapValue, hi.Imm) with { Map = map });
                return;
            }
            default:
                Fail(VerifierRule.Unsupported, $"lddw with src {lo.Src} (BTF ids / function pointers) is not supported");
                return;
        }
    }

    private void ExecLegacyPacketLoad(Instruction insn)
    {
        if (Read(6).Type != RegisterType.PtrToCtx) Fail(VerifierRule.LegacyPacketLoad, "legacy packet loads need the context in R6");
        if (insn.MemMode == MemMode.Ind && !Read(insn.Src).IsScalar) Fail(VerifierRule.LegacyPacketLoad, $"R{insn.Src} must be a scalar offset");
        for (int r = 1; r <= 5; r++) _cur.Regs[r] = RegisterState.NotInit;
        _cur.Regs[0] = RegisterState.Scalar(ScalarValue.UnknownOfSize(insn.MemSize.Bytes()));
    }

    /// <summary>
    /// Checks one access of <paramref name="size"/> bytes at <paramref name="ptr"/>+<paramref name="off"/>.
    /// A read returns the value loaded; a write stores <paramref name="stored"/> (register <paramref name="storedReg"/> for messages).
    /// A check that passes is recorded as this visit's proof for the instruction (see <see cref="AccessProofRecorder"/>).
    /// </summary>
    private RegisterState Access(RegisterState ptr, int reg, int off, int size, bool write, RegisterState? stored, int storedReg = -1)
    {
        switch (ptr.Type)
        {
            case RegisterType.PtrToCtx:
            {
                if (!ptr.HasFixedOffset || ptr.Off != 0)
                    Fail(VerifierRule.ContextAccess, $"dereference of a modified context pointer R{reg} (off={ptr.Off}) is not allowed: use the unmodified pointer and put the field offset in the instruction");
                if (write && stored is { IsPointer: true } && !_o.AllowPointerLeaks)
                    Fail(VerifierRule.PointerLeak, $"R{storedReg} leaks addr into the context");
                if (_o.ProgramType.CheckContextAccess(off, size, write) is { } why)
                    Fail(VerifierRule.ContextAccess, $"invalid {(write ? "write to" : "read of")} the {_o.ProgramType.Name} context at offset {off}, size {size}: {why}");
                // Whether the context is writable is up to each run, so only reads count as proven.
                if (write) _proofs.Record(_pc, proven: false);
                else _proofs.RecordContextRead(_pc, off + size);
                return RegisterState.Scalar(ScalarValue.UnknownOfSize(size));
            }
            case RegisterType.PtrToStack:
            {
                var value = ptr.HasFixedOffset
                    ? StackAccess(ptr, reg, off, size, write, stored, storedReg)
                    : VariableStackAccess(ptr, reg, off, size, write, stored);
                _proofs.Record(_pc, proven: true);
                return value;
            }
            case RegisterType.PtrToMapValue:
            {
                var map = ptr.Map!;
                CheckRange(ptr, reg, off, size, map.ValueSize, VerifierRule.MapValueBounds, $"value of map {map.Name}");
                if (write && map.ReadOnlyForProgram) Fail(VerifierRule.ReadOnlyMap, $"map {map.Name} is read-only for the program");
                if (write && stored is { IsPointer: true } && !_o.AllowPointerLeaks)
                    Fail(VerifierRule.PointerLeak, $"R{storedReg} leaks addr into map {map.Name}");
                _proofs.Record(_pc, proven: true);
                return RegisterState.Scalar(ScalarValue.UnknownOfSize(size));
            }
            case RegisterType.PtrToMem:
                CheckRange(ptr, reg, off, size, ptr.Size, VerifierRule.MemoryBounds, "helper memory");
                if (write && stored is { IsPointer: true } && !_o.AllowPointerLeaks)
                    Fail(VerifierRule.PointerLeak, $"R{storedReg} leaks addr into helper memory");
                _proofs.Record(_pc, proven: true);
                return RegisterState.Scalar(ScalarValue.UnknownOfSize(size));
            case RegisterType.PtrToMapValueOrNull or RegisterType.PtrToMemOrNull:
                Fail(VerifierRule.NullPointer, $"R{reg} may be NULL ({ptr}): compare it with 0 before the access");
                break;
            default:
                Fail(VerifierRule.InvalidMemoryAccess, $"R{reg} is {(ptr.IsScalar ? "a scalar" : ptr.ToString())}, not a pointer to memory (invalid mem access '{ptr.Type.ShortName()}')");
                break;
        }
        return default;
    }

    /// <summary>Fixed plus variable offset stays inside [0, limit).</summary>
    private void CheckRange(RegisterState ptr, int reg, int off, long size, long limit, string rule, string what)
    {
        long lo = (long)ptr.Off + off, hi = lo + size;
        if (!ptr.HasFixedOffset)
        {
            var v = ptr.Value;
            if (v.SMin < 0)
                Fail(rule, $"R{reg} min value is negative ({v.SMin}): use an unsigned index or check index >= 0");
            if (v.UMax >= (ulong)MaxPointerOffset)
                Fail(rule, $"R{reg} has an unbounded variable offset ({v}): bound it with 'if (idx < N)' or 'idx &= mask'");
            lo += v.SMin;
            hi += (long)v.UMax;
        }
        if (lo < 0 || hi > limit)
            Fail(rule, $"access to {what} at [{lo}, {hi}) is outside its {limit} bytes (R{reg}={ptr}, off={off}, size={size})");
    }

    private FrameState StackFrameOf(RegisterState ptr, int reg, int off, int size)
    {
        if (!ptr.HasFixedOffset)
            Fail(VerifierRule.StackVariableOffset, $"stack access through R{reg} with a variable offset ({ptr}) is not supported: use a constant offset");
        long at = (long)ptr.Off + off;
        if (at < -FrameState.StackSize || at + size > 0)
            Fail(VerifierRule.StackBounds, $"invalid stack access at fp{at} size {size}: the stack is fp-{FrameState.StackSize} .. fp-1");
        var frame = _cur.Frames[ptr.Frame];
        int subprog = _s.SubprogOf[frame.SubprogStart];
        _stackDepth[subprog] = Math.Max(_stackDepth[subprog], (int)-at);
        return frame;
    }

    private RegisterState StackAccess(RegisterState ptr, int reg, int off, int size, bool write, RegisterState? stored, int storedReg)
    {
        var frame = StackFrameOf(ptr, reg, off, size);
        int at = ptr.Off + off;
        if (at % size != 0)
            Fail(VerifierRule.StackAlignment, $"misaligned stack access at fp{at} size {size}: stack accesses must be aligned to their size");
        if (write) { StackWrite(frame, at, size, stored!.Value, storedReg); return default; }
        return StackRead(frame, at, size);
    }

    private RegisterState StackRead(FrameState frame, int at, int size)
    {
        int slot = FrameState.SlotIndex(at);
        if (frame.Spills[slot] is { } spilled)
        {
            if (size == 8) return spilled;
            if (!spilled.IsScalar)
                Fail(VerifierRule.SpillCorruption, $"invalid size of register fill: a spilled pointer ({spilled}) at fp{slot * 8 - FrameState.StackSize} must be read back with an 8-byte load");
            if (!spilled.Value.IsConst) return RegisterState.Scalar(ScalarValue.UnknownOfSize(size));
            int shift = (FrameState.ByteIndex(at) % 8) * 8;
            return RegisterState.ConstScalar((spilled.Value.ConstValue >> shift) & ((1UL << (size * 8)) - 1));
        }
        bool allZero = true;
        for (int i = 0; i < size; i++)
        {
            var b = frame.Stack[FrameState.ByteIndex(at + i)];
            if (b == StackByte.Invalid && !_o.AllowUninitializedStackReads)
                Fail(VerifierRule.UninitStackRead, $"invalid read from stack at fp{at} size {size}: byte fp{at + i} was never written on this path");
            allZero &= b == StackByte.Zero;
        }
        return allZero ? RegisterState.ConstScalar(0) : RegisterState.Scalar(ScalarValue.UnknownOfSize(size));
    }

    private void StackWrite(FrameState frame, int at, int size, RegisterState value, int storedReg)
    {
        int slot = FrameState.SlotIndex(at);
        frame.MarkUsed(slot);
        if (value.Type == RegisterType.PtrToStack && value.Frame > frame.FrameNo)
            Fail(VerifierRule.InvalidMemoryAccess, $"R{storedReg} points into a callee's stack and cannot be stored in a caller's stack");
        if (size == 8)
        {
            frame.Spills[slot] = value;
            frame.Stack.AsSpan(slot * 8, 8).Fill(StackByte.Spill);
            return;
        }
        if (frame.Spills[slot] is { } old)
        {
            if (old.IsPointer && !_o.AllowPointerLeaks)
                Fail(VerifierRule.SpillCorruption, $"attempt to corrupt a spilled pointer ({old}) on the stack at fp{slot * 8 - FrameState.StackSize}");
            frame.Spills[slot] = null;
            frame.Stack.AsSpan(slot * 8, 8).Fill(StackByte.Misc);
        }
        if (value.IsPointer)
            Fail(VerifierRule.SpillCorruption, $"invalid size of register spill: R{storedReg} holds a pointer ({value}); spill it with an 8-byte store");
        var kind = value is { IsConst: true } && value.Value.ConstValue == 0 ? StackByte.Zero : StackByte.Misc;
        frame.Stack.AsSpan(FrameState.ByteIndex(at), size).Fill(kind);
    }
}
