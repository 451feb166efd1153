using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>ALU instructions: scalar arithmetic through <see cref="ScalarAlu"/>, and the pointer arithmetic rules.</summary>
internal sealed partial class VerifierRun
{
    /// <summary>Largest offset a pointer may carry (as the kernel's BPF_MAX_VAR_OFF).</summary>
    private const long MaxPointerOffset = 1L << 29;

    private void ExecAlu(Instruction insn)
    {
        bool is64 = insn.Class == OpClass.Alu64;
        int d = insn.Dst;
        if (d == 10) Fail(VerifierRule.FramePointerWrite, "R10 (the frame pointer) is read-only");
        var imm = RegisterState.ConstScalar(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);

        if (insn.AluOp == AluOp.Mov)
        {
            if (!insn.UsesSrcRegister) { Set(d, imm); return; }
            var src = Read(insn.Src);
            if (insn.Offset != 0)
            {
                if (!src.IsScalar) Fail(VerifierRule.PointerArithmetic, $"sign-extending move of R{insn.Src}, a pointer ({src}), is not allowed");
                Set(d, RegisterState.Scalar(ScalarAlu.SignExtend(is64, src.Value, insn.Offset)));
            }
            else if (is64)
            {
                // Copies of one unknown scalar share an id: a branch on one narrows all of them.
                if (src.IsScalar && !src.Value.IsConst && src.Id == 0)
                    _cur.Regs[insn.Src] = src = src with { Id = NewId() };
                Set(d, src);
            }
            else if (src.IsPointer)
            {
                if (!_o.AllowPointerLeaks) Fail(VerifierRule.PointerLeak, $"R{insn.Src} partial copy of a pointer ({src}) would leak its address");
                Set(d, RegisterState.Scalar(ScalarValue.UnknownOfSize(4)));
            }
            else Set(d, RegisterState.Scalar(ScalarAlu.Zext32(src.Value)));
            return;
        }

        var dst = Read(d);
        if (insn.AluOp is AluOp.Neg or AluOp.End)
        {
            // Privileged loaders may turn a pointer into a meaningless number (the kernel's allow_ptr_leaks).
            if (dst.IsPointer && _o.AllowPointerLeaks) { Set(d, PointerTurnedScalar(is64)); return; }
            if (dst.IsPointer) Fail(VerifierRule.PointerArithmetic, $"{(insn.AluOp == AluOp.Neg ? "negation" : "byte swap")} of R{d}, a pointer ({dst}), is not allowed");
            var v = insn.AluOp == AluOp.Neg ? ScalarAlu.Neg(is64, dst.Value)
                : ScalarAlu.ByteSwap(dst.Value, insn.Imm, swap: is64 || insn.UsesSrcRegister);
            Set(d, RegisterState.Scalar(v));
            return;
        }

        var operand = insn.UsesSrcRegister ? Read(insn.Src) : imm;
        if (dst.IsScalar && operand.IsScalar)
        {
            Set(d, RegisterState.Scalar(ScalarAlu.Binary(insn.AluOp, is64, dst.Value, operand.Value, insn.Offset == 1)));
            return;
        }
        PointerArithmetic(insn, is64, dst, operand);
    }

    private void PointerArithmetic(Instruction insn, bool is64, RegisterState dst, RegisterState src)
    {
        int d = insn.Dst;
        string opName = insn.AluOp.ToString().ToLowerInvariant();
        if (insn.AluOp == AluOp.Sub && _o.AllowPointerLeaks && (!is64 || (dst.IsPointer && src.IsPointer)))
        {
            // As the kernel: pointer - pointer, and 32-bit subtraction involving a pointer, give a meaningless number.
            Set(d, PointerTurnedScalar(is64));
            return;
        }
        if (dst.IsPointer && src.IsPointer)
        {
            Fail(VerifierRule.PointerArithmetic, $"R{d} pointer {opName} pointer is not allowed{(insn.AluOp == AluOp.Sub ? " for unprivileged loaders" : "")}");
        }
        if (!is64) Fail(VerifierRule.PointerArithmetic, $"32-bit arithmetic on a pointer ({(dst.IsPointer ? dst : src)}) is not allowed");
        var ptr = dst.IsPointer ? dst : src;
        var scalar = dst.IsPointer ? src : dst;
        if (src.IsPointer && insn.AluOp == AluOp.Sub) Fail(VerifierRule.PointerArithmetic, $"R{d} tried to subtract a pointer from a scalar");
        if (insn.AluOp is not (AluOp.Add or AluOp.Sub))
            Fail(VerifierRule.PointerArithmetic, $"{opName} on a pointer ({ptr}) is not allowed: only += and -= of a scalar");
        if (insn.AluOp == AluOp.Sub && ptr.Type == RegisterType.PtrToStack)
            Fail(VerifierRule.PointerArithmetic, $"R{d} subtraction from the stack pointer is not allowed (as in the kernel): add a negative offset instead");
        switch (ptr.Type)
        {
            case RegisterType.PtrToMapValueOrNull or RegisterType.PtrToMemOrNull:
                Fail(VerifierRule.NullPointer, $"arithmetic on {ptr.Type.ShortName()} is not allowed: check the pointer against 0 first");
                break;
            case RegisterType.ConstPtrToMap:
                Fail(VerifierRule.PointerArithmetic, "arithmetic on a map pointer is not allowed: pass it to a helper unchanged");
                break;
        }

        RegisterState result;
        if (scalar.Value.IsConst)
        {
            long c = (long)scalar.Value.ConstValue;
            if (c <= -MaxPointerOffset || c >= MaxPointerOffset)
                Fail(VerifierRule.PointerArithmetic, $"adding {c} makes the {ptr.Type.ShortName()} pointer out of range");
            long off = ptr.Off + (insn.AluOp == AluOp.Sub ? -c : c);
            if (off <= -MaxPointerOffset || off >= MaxPointerOffset)
                Fail(VerifierRule.PointerArithmetic, $"{ptr.Type.ShortName()} pointer offset {off} is out of range");
            result = ptr with { Off = (int)off };
        }
        else
        {
            if (ptr.Type == RegisterType.PtrToCtx)
                Fail(VerifierRule.ContextAccess, "a variable offset on the context pointer is not allowed");
            var v = scalar.Value;
            if (v.SMin == long.MinValue || v.SMin <= -MaxPointerOffset || v.SMin >= MaxPointerOffset)
                Fail(VerifierRule.PointerArithmetic, $"math between a {ptr.Type.ShortName()} pointer and a register with unbounded minimum ({scalar}) is not allowed: bound it first (if r < N / r &= mask)");
            var varOff = ScalarAlu.Binary(insn.AluOp, true, ptr.Value, v, false);
            if (varOff.SMin == long.MinValue || varOff.SMin <= -MaxPointerOffset || varOff.SMin >= MaxPointerOffset)
                Fail(VerifierRule.PointerArithmetic, $"the variable offset of the {ptr.Type.ShortName()} pointer becomes unbounded");
            result = ptr with { Value = varOff };
        }
        if (!_o.AllowPointerLeaks) CheckUnprivilegedPointerBounds(result);
        Set(d, result);
    }

    private static RegisterState PointerTurnedScalar(bool is64) =>
        RegisterState.Scalar(is64 ? ScalarValue.Unknown : ScalarValue.UnknownOfSize(4));

    /// <summary>Unprivileged loaders may not even form an out-of-bounds pointer (the kernel's Spectre v1 rule).</summary>
    private void CheckUnprivilegedPointerBounds(RegisterState p)
    {
        long lo = p.Off + (p.HasFixedOffset ? 0 : p.Value.SMin);
        long hi = p.Off + (p.HasFixedOffset ? 0 : (long)Math.Min(p.Value.UMax, (ulong)MaxPointerOffset));
        // The pointer must still address a byte of its object (hi is exclusive).
        long limitLo = 0, limitHi;
        switch (p.Type)
        {
            case RegisterType.PtrToStack: limitLo = -FrameState.StackSize; limitHi = 0; break;
            case RegisterType.PtrToMapValue: limitHi = p.Map!.ValueSize; break;
            case RegisterType.PtrToMem: limitHi = p.Size; break;
            default: return;
        }
        if (lo < limitLo || hi >= limitHi)
            Fail(VerifierRule.PointerArithmetic, $"pointer arithmetic makes {p} go out of range [{limitLo}, {limitHi}], prohibited for unprivileged loaders");
    }
}
