namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Stack accesses at a variable offset (fp + constant + bounded register), which the kernel allows
/// only for loaders that bypass the Spectre v1 mitigations (CAP_PERFMON; here: pointer leaks
/// allowed). Every byte the access may touch is inside the frame, the offset is aligned to the
/// size in every case, and the state is updated for every place the access may land.
/// </summary>
internal sealed partial class VerifierRun
{
    private RegisterState VariableStackAccess(RegisterState ptr, int reg, int off, int size, bool write, RegisterState? stored)
    {
        if (!_o.AllowPointerLeaks)
            Fail(VerifierRule.StackVariableOffset, $"stack access through R{reg} with a variable offset ({ptr}) is only allowed for privileged loaders (CAP_PERFMON): use a constant offset");
        var v = ptr.Value;
        long first = (long)ptr.Off + off + v.SMin, last = (long)ptr.Off + off + v.SMax;
        if (v.SMin <= -MaxPointerOffset || v.SMax >= MaxPointerOffset || first < -FrameState.StackSize || last + size > 0)
            Fail(VerifierRule.StackBounds, $"invalid variable-offset stack access through R{reg} ({ptr}, off={off}, size {size}): it may reach fp{first} .. fp{last + size - 1}, outside fp-{FrameState.StackSize} .. fp-1");
        var at = v.Bits + Tnum.Const((ulong)(long)(ptr.Off + off));
        if (((at.Value | at.Mask) & (ulong)(size - 1)) != 0)
            Fail(VerifierRule.StackAlignment, $"misaligned variable-offset stack access through R{reg} ({ptr}, off={off}): the offset is not known to be a multiple of {size}");
        var frame = _cur.Frames[ptr.Frame];
        int subprog = _s.SubprogOf[frame.SubprogStart];
        _stackDepth[subprog] = Math.Max(_stackDepth[subprog], (int)-first);
        int lo = (int)first, hi = (int)last + size;
        if (write) { VariableStackWrite(frame, lo, hi, stored!.Value); return default; }
        for (int o = lo; o < hi && !_o.AllowUninitializedStackReads; o++)
            if (frame.Stack[FrameState.ByteIndex(o)] == StackByte.Invalid)
                Fail(VerifierRule.UninitStackRead, $"invalid variable-offset read from stack through R{reg} ({ptr}): byte fp{o}, which it may read, was never written on this path");
        return RegisterState.Scalar(ScalarValue.UnknownOfSize(size));
    }

    /// <summary>
    /// A helper reads or fills up to <paramref name="max"/> bytes at a variable stack offset. As the
    /// kernel, the whole range it may touch must be in the frame and initialised even when the
    /// helper only fills it (which bytes it fills is unknown, so none can count as written);
    /// afterwards spills there are gone.
    /// </summary>
    private void VariableStackHelperMemory(int r, RegisterState ptr, long max, bool write, string helper)
    {
        if (!_o.AllowPointerLeaks)
            Fail(VerifierRule.StackVariableOffset, $"{helper} argument R{r} points into the stack at a variable offset ({ptr}), which only privileged loaders (CAP_PERFMON) may pass");
        var v = ptr.Value;
        long first = ptr.Off + v.SMin, last = ptr.Off + v.SMax;
        if (v.SMin <= -MaxPointerOffset || v.SMax >= MaxPointerOffset || first < -FrameState.StackSize || last + max > 0)
            Fail(VerifierRule.StackBounds, $"{helper} may access {max} bytes at fp{first} .. fp{last} through R{r} ({ptr}): outside fp-{FrameState.StackSize} .. fp-1");
        var frame = _cur.Frames[ptr.Frame];
        int subprog = _s.SubprogOf[frame.SubprogStart];
        _stackDepth[subprog] = Math.Max(_stackDepth[subprog], (int)-first);
        int lo = (int)first, hi = (int)(last + max);
        for (int o = lo; o < hi && !_o.AllowUninitializedStackReads; o++)
            if (frame.Stack[FrameState.ByteIndex(o)] == StackByte.Invalid)
                Fail(VerifierRule.UninitStackRead, $"{helper} may access fp{o} through R{r} ({ptr}), which was never written on this path (variable-offset buffers must be initialised)");
        if (write) VariableStackWrite(frame, lo, hi, RegisterState.UnknownScalar);
    }

    /// <summary>
    /// Any byte in [lo, hi) may be written: spills there are dropped (their slot keeps only
    /// "some data"), written bytes become unknown data (zero stays zero for a zero store), and
    /// bytes never written stay unwritten, since this store may not be the one that lands there.
    /// </summary>
    private static void VariableStackWrite(FrameState frame, int lo, int hi, RegisterState value)
    {
        // A pointer stored here (privileged loaders only) is kept as plain data: filling it back gives a scalar.
        bool zero = value is { IsConst: true } && value.Value.ConstValue == 0;
        for (int slot = FrameState.SlotIndex(lo); slot <= FrameState.SlotIndex(hi - 1); slot++)
        {
            frame.MarkUsed(slot);
            if (frame.Spills[slot] is null) continue;
            frame.Spills[slot] = null;
            frame.Stack.AsSpan(slot * 8, 8).Fill(StackByte.Misc);
        }
        for (int o = lo; o < hi; o++)
        {
            ref var b = ref frame.Stack[FrameState.ByteIndex(o)];
            if (b != StackByte.Invalid && !(zero && b == StackByte.Zero)) b = StackByte.Misc;
        }
    }
}
