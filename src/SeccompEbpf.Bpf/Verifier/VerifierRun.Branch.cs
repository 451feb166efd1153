using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>Conditional jumps: decide when possible, otherwise fork with each side narrowed; null checks.</summary>
internal sealed partial class VerifierRun
{
    private void ExecBranch(Instruction insn)
    {
        bool is64 = insn.Class == OpClass.Jmp;
        var op = insn.JmpOp;
        var a = Read(insn.Dst);
        var b = insn.UsesSrcRegister ? Read(insn.Src) : RegisterState.ConstScalar(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
        int target = _pc + insn.Offset + 1, fall = _pc + 1;

        if (a.IsScalar && b.IsScalar)
        {
            int taken = BranchLogic.IsTaken(op, is64, a.Value, b.Value);
            if (taken >= 0)
            {
                if (_o.LogLevel >= 1) Log(1, $"{_pc}: branch {(taken == 1 ? "always" : "never")} taken");
                _pc = taken == 1 ? target : fall;
                return;
            }
            var other = _cur.Clone();
            bool canJump = NarrowScalars(other, insn, is64, jumped: true);
            bool canFall = NarrowScalars(_cur, insn, is64, jumped: false);
            if (canJump && canFall) Fork(other, target);
            else if (canJump) { _cur = other; _pc = target; return; }
            _pc = fall;
            return;
        }

        if (!is64)
        {
            if (!_o.AllowPointerLeaks) Fail(VerifierRule.PointerComparison, $"32-bit comparison of a pointer ({(a.IsPointer ? a : b)}) is not allowed for unprivileged loaders");
            // As the kernel for privileged loaders: both outcomes, nothing learned (no NULL check in 32 bits).
            Fork(_cur.Clone(), target);
            _pc = fall;
            return;
        }
        var (nullable, zero) = a.Type.IsNullable() ? (a, b) : (b, a);
        if (op is JmpOp.Jeq or JmpOp.Jne && nullable.Type.IsNullable() && zero.IsConst && zero.Value.ConstValue == 0)
        {
            var other = _cur.Clone();
            // JEQ jumps when NULL, JNE jumps when not NULL.
            MarkNullCheck(other, nullable, isNull: op == JmpOp.Jeq);
            MarkNullCheck(_cur, nullable, isNull: op != JmpOp.Jeq);
            Fork(other, target);
            _pc = fall;
            return;
        }
        if (!_o.AllowPointerLeaks)
            Fail(VerifierRule.PointerComparison, $"comparison of R{insn.Dst}={a} with {(insn.UsesSrcRegister ? $"R{insn.Src}=" : "")}{b} is not allowed for unprivileged loaders (only NULL checks of lookup results)");
        if (op is JmpOp.Jeq or JmpOp.Jne && !a.Type.IsNullable() && a.IsPointer && b.IsConst && b.Value.ConstValue == 0)
        {
            _pc = op == JmpOp.Jne ? target : fall;    // a valid pointer is never NULL
            return;
        }
        Fork(_cur.Clone(), target);
        _pc = fall;
    }

    /// <summary>Applies "the condition held" (or not) to both operands and every copy sharing their id; false when impossible.</summary>
    private static bool NarrowScalars(VerifierState state, Instruction insn, bool is64, bool jumped)
    {
        var regs = state.Regs;
        var a = regs[insn.Dst];
        var b = insn.UsesSrcRegister ? regs[insn.Src] : RegisterState.ConstScalar(is64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
        ScalarValue na, nb;
        if (insn.JmpOp == JmpOp.Jset && !jumped) (na, nb) = (BranchLogic.RefineJsetFalse(is64, a.Value, b.Value), b.Value);
        else (na, nb) = BranchLogic.Refine(jumped ? insn.JmpOp : BranchLogic.Negate(insn.JmpOp), is64, a.Value, b.Value);
        if (na.IsEmpty || nb.IsEmpty) return false;
        if (insn.UsesSrcRegister) Assign(state, insn.Src, b, nb);
        Assign(state, insn.Dst, a, na);
        return true;
    }

    private static void Assign(VerifierState state, int r, RegisterState old, ScalarValue narrowed)
    {
        if (old.Id != 0)
            state.UpdateAll(x => x.IsScalar && x.Id == old.Id ? x with { Value = narrowed } : x);
        state.Regs[r] = old with { Value = narrowed };
    }

    /// <summary>After a NULL check every copy of the pointer (same id) becomes 0 or a valid pointer.</summary>
    private static void MarkNullCheck(VerifierState state, RegisterState ptr, bool isNull)
    {
        int id = ptr.Id;
        if (isNull && ptr.RefId != 0) state.References.RemoveAll(x => x.RefId == ptr.RefId);
        state.UpdateAll(x =>
        {
            if (x.Id != id || !x.Type.IsNullable()) return x;
            if (isNull) return RegisterState.ConstScalar(0);
            return x with { Type = x.Type == RegisterType.PtrToMapValueOrNull ? RegisterType.PtrToMapValue : RegisterType.PtrToMem, Id = 0 };
        });
    }
}
