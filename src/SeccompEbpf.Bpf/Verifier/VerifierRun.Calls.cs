using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>Helper calls (prototype checks), bpf-to-bpf calls and exits.</summary>
internal sealed partial class VerifierRun
{
    private const int MaxCallFrames = 8;

    private void ExecHelperCall(Instruction insn)
    {
        if (!_o.Helpers.TryGetValue(insn.Imm, out var proto))
            Fail(VerifierRule.UnknownHelper, _o.Helpers.Count == 0
                ? $"helper #{insn.Imm} cannot be called: this program may call no helpers"
                : $"helper #{insn.Imm} is not available to this program (allowed: {string.Join(", ", _o.Helpers.Values.OrderBy(h => h.Id).Select(h => $"{h.Name}#{h.Id}"))})");
        MapSpec? map = null;
        ulong? constSize = null;
        var args = proto!.Args;
        for (int i = 0; i < 5; i++)
        {
            var kind = i < args.Length ? args[i] : HelperArg.None;
            if (kind == HelperArg.None) continue;
            int r = i + 1;
            var reg = Read(r);
            string Expect(string what) => $"{proto.Name} argument {r} (R{r}) must be {what}, but it is {reg}";
            switch (kind)
            {
                case HelperArg.Anything:
                    if (reg.IsPointer && !_o.AllowPointerLeaks) Fail(VerifierRule.PointerLeak, $"R{r} leaks addr into helper {proto.Name}");
                    break;
                case HelperArg.Scalar:
                    if (!reg.IsScalar) Fail(VerifierRule.HelperArgument, Expect("a scalar"));
                    break;
                case HelperArg.ConstMapPtr:
                    if (reg.Type != RegisterType.ConstPtrToMap) Fail(VerifierRule.HelperArgument, Expect("a map (lddw map reference)"));
                    map = reg.Map;
                    if (MapHelperCompatibility.Check(proto.Id, proto.Name, map!) is { } why) Fail(VerifierRule.HelperArgument, why);
                    break;
                case HelperArg.PtrToMapKey or HelperArg.PtrToMapValue or HelperArg.PtrToUninitMapValue or HelperArg.PtrToMapValueOrNull:
                {
                    if (map is null) Fail(VerifierRule.HelperArgument, $"{proto.Name}: a key/value argument needs a map argument before it");
                    if (kind == HelperArg.PtrToMapValueOrNull && reg.IsConst && reg.Value.ConstValue == 0) break;
                    uint bytes = kind == HelperArg.PtrToMapKey ? map!.KeySize : map!.ValueSize;
                    HelperMemory(r, reg, bytes, bytes, write: kind == HelperArg.PtrToUninitMapValue, proto.Name);
                    break;
                }
                case HelperArg.PtrToMem or HelperArg.PtrToUninitMem:
                {
                    var sizeKind = i + 1 < args.Length ? args[i + 1] : HelperArg.None;
                    var sizeReg = Read(r + 1);
                    var (min, max) = SizeArgument(r + 1, sizeReg, sizeKind == HelperArg.ConstSizeOrZero, proto.Name);
                    if (max > 0) HelperMemory(r, reg, min, max, write: kind == HelperArg.PtrToUninitMem, proto.Name);
                    i++;
                    break;
                }
                case HelperArg.ConstSize or HelperArg.ConstSizeOrZero or HelperArg.ConstAllocSizeOrZero:
                {
                    SizeArgument(r, reg, kind != HelperArg.ConstSize, proto.Name);
                    if (reg.Value.IsConst) constSize = reg.Value.ConstValue;
                    break;
                }
                case HelperArg.PtrToCtx:
                    if (reg.Type != RegisterType.PtrToCtx || reg.Off != 0 || !reg.HasFixedOffset)
                        Fail(VerifierRule.HelperArgument, Expect("the unmodified context pointer"));
                    break;
                case HelperArg.PtrToTaskOrNull:
                    if (!(reg.IsConst && reg.Value.ConstValue == 0))
                        Fail(VerifierRule.HelperArgument, Expect("NULL (0), meaning the current process; task pointers are not available"));
                    break;
                case HelperArg.PtrToStackOrNull:
                    if (reg.IsConst && reg.Value.ConstValue == 0) break;
                    if (reg.Type != RegisterType.PtrToStack) Fail(VerifierRule.HelperArgument, Expect("a stack pointer or NULL"));
                    StackFrameOf(reg, r, 0, 1);
                    break;
                case HelperArg.PtrToAllocMem:
                    if (reg.Type != RegisterType.PtrToMem || reg.RefId == 0 || reg.Off != 0 || !reg.HasFixedOffset)
                        Fail(VerifierRule.HelperArgument, Expect("an unmodified, null-checked ring buffer reservation"));
                    ReleaseReference(reg.RefId);
                    break;
                case HelperArg.PtrToFunc:
                    Fail(VerifierRule.Unsupported, $"{proto.Name} takes a callback function; callbacks are not supported");
                    break;
                default:
                    // A kind this verifier does not know is never waved through.
                    Fail(VerifierRule.Unsupported, $"{proto.Name} argument {r} has kind {kind}, which this verifier cannot check");
                    break;
            }
        }

        for (int r = 1; r <= 5; r++) _cur.Regs[r] = RegisterState.NotInit;
        switch (proto.Returns)
        {
            case HelperReturn.Integer:
                _cur.Regs[0] = RegisterState.UnknownScalar;
                break;
            case HelperReturn.Void:
                _cur.Regs[0] = RegisterState.NotInit;
                break;
            case HelperReturn.PtrToMapValueOrNull:
                if (map is null) Fail(VerifierRule.HelperArgument, $"{proto.Name} returns a map value but takes no map");
                _cur.Regs[0] = RegisterState.Pointer(RegisterType.PtrToMapValueOrNull) with { Map = map, Id = NewId() };
                break;
            case HelperReturn.PtrToAllocMemOrNull:
            {
                if (constSize is null) Fail(VerifierRule.HelperArgument, $"{proto.Name} needs a known constant size");
                int id = NewId();
                _cur.References.Add((id, _pc));
                _cur.Regs[0] = RegisterState.Pointer(RegisterType.PtrToMemOrNull) with { Id = id, RefId = id, Size = (int)constSize!.Value };
                break;
            }
        }
    }

    /// <summary>Checks a size argument; returns its possible range.</summary>
    private (long Min, long Max) SizeArgument(int r, RegisterState reg, bool zeroAllowed, string helper)
    {
        if (!reg.IsScalar) Fail(VerifierRule.HelperArgument, $"{helper}: the size R{r} must be a scalar, not {reg}");
        var v = reg.Value;
        if (v.SMin < 0) Fail(VerifierRule.HelperArgument, $"{helper}: the size R{r} may be negative ({reg}): check it first");
        if (v.UMin == 0 && !zeroAllowed) Fail(VerifierRule.HelperArgument, $"{helper}: the size R{r} may be zero ({reg}), which this helper does not accept");
        if (v.UMax >= (ulong)MaxPointerOffset) Fail(VerifierRule.HelperArgument, $"{helper}: the size R{r} is unbounded ({reg}): use 'if (size < N)' or 'size &= mask'");
        return ((long)v.UMin, (long)v.UMax);
    }

    /// <summary>A helper reads (or writes) up to <paramref name="max"/> bytes at the pointer in R<paramref name="r"/>.</summary>
    private void HelperMemory(int r, RegisterState ptr, long min, long max, bool write, string helper)
    {
        switch (ptr.Type)
        {
            case RegisterType.PtrToStack when !ptr.HasFixedOffset:
                VariableStackHelperMemory(r, ptr, max, write, helper);
                break;
            case RegisterType.PtrToStack:
            {
                var frame = StackFrameOf(ptr, r, 0, (int)max);
                int at = ptr.Off;
                for (int i = 0; i < max; i++)
                {
                    int b = FrameState.ByteIndex(at + i), slot = b / 8;
                    if (write)
                    {
                        frame.MarkUsed(slot);
                        if (frame.Spills[slot] is { } old)
                        {
                            if (old.IsPointer && !_o.AllowPointerLeaks)
                                Fail(VerifierRule.SpillCorruption, $"{helper} would overwrite a spilled pointer at fp{slot * 8 - FrameState.StackSize}");
                            frame.Spills[slot] = null;
                            frame.Stack.AsSpan(slot * 8, 8).Fill(StackByte.Misc);
                        }
                        frame.Stack[b] = StackByte.Misc;
                    }
                    else if (frame.Stack[b] == StackByte.Invalid && !_o.AllowUninitializedStackReads)
                        Fail(VerifierRule.UninitStackRead, $"{helper} reads {max} bytes at fp{at} but fp{at + i} was never written on this path");
                    else if (frame.Spills[slot] is { IsPointer: true } && !_o.AllowPointerLeaks)
                        Fail(VerifierRule.PointerLeak, $"{helper} would read a spilled pointer at fp{slot * 8 - FrameState.StackSize}");
                }
                break;
            }
            case RegisterType.PtrToMapValue:
                CheckRange(ptr, r, 0, max, ptr.Map!.ValueSize, VerifierRule.MapValueBounds, $"value of map {ptr.Map.Name}");
                if (write && ptr.Map.ReadOnlyForProgram) Fail(VerifierRule.ReadOnlyMap, $"{helper} would write into read-only map {ptr.Map.Name}");
                break;
            case RegisterType.PtrToMem:
                CheckRange(ptr, r, 0, max, ptr.Size, VerifierRule.MemoryBounds, "helper memory");
                break;
            case RegisterType.PtrToMapValueOrNull or RegisterType.PtrToMemOrNull:
                Fail(VerifierRule.NullPointer, $"{helper} argument R{r} may be NULL ({ptr}): check it first");
                break;
            default:
                Fail(VerifierRule.HelperArgument, $"{helper} argument R{r} must point to stack, map value or helper memory, but it is {ptr}");
                break;
        }
    }

    private void ReleaseReference(int refId)
    {
        _cur.References.RemoveAll(x => x.RefId == refId);
        foreach (var f in _cur.Frames)
        {
            for (int r = 0; r < f.Regs.Length; r++)
                if (f.Regs[r].RefId == refId) f.Regs[r] = RegisterState.NotInit;
            for (int s = f.FirstUsedSlot; s < f.Spills.Length; s++)
                if (f.Spills[s] is { } sp && sp.RefId == refId)
                {
                    f.Spills[s] = null;
                    f.Stack.AsSpan(s * 8, 8).Fill(StackByte.Misc);
                }
        }
    }

    private void ExecLocalCall(Instruction insn)
    {
        if (_cur.Frames.Count >= MaxCallFrames)
            Fail(VerifierRule.CallDepth, $"the call chain is too deep: at most {MaxCallFrames} frames (is the function recursive?)");
        int target = _pc + insn.Imm + 1;
        var caller = _cur.Current;
        var callee = new FrameState { FrameNo = _cur.Frames.Count, SubprogStart = target, ReturnTo = _pc + 1 };
        Array.Fill(callee.Regs, RegisterState.NotInit);
        for (int r = 1; r <= 5; r++) callee.Regs[r] = caller.Regs[r];
        callee.Regs[10] = RegisterState.Pointer(RegisterType.PtrToStack) with { Frame = callee.FrameNo };
        _cur.Frames.Add(callee);
        if (_o.LogLevel >= 1) Log(1, $"{_pc}: call to function at {target} (frame {callee.FrameNo})");
        _pc = target;
    }

    /// <summary>Returns from a function (continue in the caller) or ends the program (false).</summary>
    private bool ExecExit()
    {
        var r0 = _cur.Regs[0];
        if (!r0.IsInit) Fail(VerifierRule.UninitRegister, "R0 is not set at exit: set the return value before exit (R0 !read_ok)");
        if (_cur.Frames.Count > 1)
        {
            if (!r0.IsScalar) Fail(VerifierRule.ReturnValue, $"a function must return a scalar in R0, not {r0}");
            var callee = _cur.Current;
            _cur.Frames.RemoveAt(_cur.Frames.Count - 1);
            var regs = _cur.Regs;
            regs[0] = r0;
            for (int r = 1; r <= 5; r++) regs[r] = RegisterState.NotInit;
            _pc = callee.ReturnTo;
            return true;
        }
        if (_cur.References.Count > 0)
            Fail(VerifierRule.UnreleasedReference, $"the reservation made at instruction {_cur.References[0].Insn} is not released on this path: submit or discard it before exit");
        if (r0.IsPointer && !_o.AllowPointerLeaks) Fail(VerifierRule.PointerLeak, $"R0 leaks addr as return value ({r0})");
        if (_o.ProgramType.CheckReturnValue(r0) is { } why) Fail(VerifierRule.ReturnValue, why);
        return false;
    }
}
