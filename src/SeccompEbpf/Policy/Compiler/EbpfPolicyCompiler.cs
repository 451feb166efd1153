using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy.Compiler;

/// <summary>
/// Compiles a <see cref="FilterPlan"/> to an eBPF seccomp program (r1 = struct seccomp_data *,
/// the action returned in r0). Same structure as the classic compiler — arch dispatch, the same
/// search tree over syscall-number ranges, each syscall's rules — but a 64-bit argument is one
/// 8-byte context load and one 64-bit comparison instead of two 32-bit halves. Context reads use
/// exactly the widths the seccomp program type allows (4 bytes for nr/arch, 8 for args); ABIs
/// with 32-bit arguments compare the low word with 32-bit jumps. Syscalls with the same rules
/// share one block; each action has one return block.
/// </summary>
public static class EbpfPolicyCompiler
{
    private const byte R0 = 0, R1 = 1, Arch = 2, Nr = 2, Arg = 3, Datum = 4, Ctx = 6;

    public static BpfResult<Instruction[]> Compile(FilterPlan plan)
    {
        var e = new EbpfEmitter();
        var returns = new Dictionary<uint, int>();
        int ReturnLabel(uint action) => returns.TryGetValue(action, out var l) ? l : returns[action] = e.NewLabel();

        e.Emit(new Instruction(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, true), Ctx, R1, 0, 0));
        e.Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.W), Arch, Ctx, SeccompData.ArchOffset, 0));
        var groupLabels = plan.Groups.Select(_ => e.NewLabel()).ToList();
        for (int i = 0; i < plan.Groups.Count; i++)
            e.Jump(Opcodes.Jump(OpClass.Jmp32, JmpOp.Jeq, false), Arch, 0, (int)plan.Groups[i].AuditArch, groupLabels[i]);
        e.Jump(Opcodes.Jump(OpClass.Jmp, JmpOp.Ja, false), 0, 0, 0, ReturnLabel(plan.BadArchAction.Value));

        var ruleBlocks = new Dictionary<string, (int Label, SyscallPlan Plan, uint Default)>();
        for (int i = 0; i < plan.Groups.Count; i++)
        {
            var group = plan.Groups[i];
            e.Mark(groupLabels[i]);
            e.Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.W), Nr, Ctx, SeccompData.NrOffset, 0));
            var targets = new Dictionary<uint, int>();
            foreach (var (nr, sp) in group.ByNumber)
                targets[nr] = BlockFor(sp, group.DefaultAction.Value);
            int defaultLabel = ReturnLabel(group.DefaultAction.Value), badArch = ReturnLabel(plan.BadArchAction.Value);
            var realNumbers = group.Arches.SelectMany(a => SyscallTable.For(a).Entries.Select(x => (uint)x.Number)).ToHashSet();
            var breakpoints = group.Guard switch
            {
                NrGuard.RejectX32 => new[] { ArchGroup.X32Bit, uint.MaxValue },
                NrGuard.RequireX32 => new[] { ArchGroup.X32Bit },
                _ => Array.Empty<uint>(),
            };
            var tree = SyscallDispatch.Plan(targets, nr => group.IsForeignNr(nr) ? badArch : defaultLabel, breakpoints, realNumbers);
            EmitTree(e, tree);
        }

        foreach (var (label, sp, defaultAction) in ruleBlocks.Values)
        {
            e.Mark(label);
            foreach (var rule in sp.Rules)
            {
                int next = e.NewLabel();
                foreach (var test in rule.Tests) EmitTest(e, test, next);
                e.Jump(Opcodes.Jump(OpClass.Jmp, JmpOp.Ja, false), 0, 0, 0, ReturnLabel(rule.Action.Value));
                e.Mark(next);
            }
            e.Jump(Opcodes.Jump(OpClass.Jmp, JmpOp.Ja, false), 0, 0, 0, ReturnLabel(defaultAction));
        }

        foreach (var (action, label) in returns)
        {
            e.Mark(label);
            e.Emit(new Instruction(Opcodes.Alu(OpClass.Alu, AluOp.Mov, false), R0, 0, 0, (int)action));
            e.Emit(new Instruction(Opcodes.Exit, 0, 0, 0, 0));
        }
        try { return e.Finish(); }
        catch (InvalidOperationException ex) { return new BpfError(ex.Message); }

        int BlockFor(SyscallPlan sp, uint defaultAction)
        {
            if (sp.Rules.Count > 0 && sp.Rules[0].Tests.Count == 0) return ReturnLabel(sp.Rules[0].Action.Value);
            var key = defaultAction + ":" + string.Join("|", sp.Rules.Select(r => $"{r.Action.Value}:{string.Join("&", r.Tests)}:{r.Tests.FirstOrDefault()?.Wide}"));
            if (!ruleBlocks.TryGetValue(key, out var block)) ruleBlocks[key] = block = (e.NewLabel(), sp, defaultAction);
            return block.Label;
        }
    }

    private static void EmitTree(EbpfEmitter e, DispatchTree tree)
    {
        switch (tree)
        {
            case DispatchTree.Leaf leaf:
                e.Jump(Opcodes.Jump(OpClass.Jmp, JmpOp.Ja, false), 0, 0, 0, leaf.Target);
                break;
            case DispatchTree.Split split:
                int atLeast = e.NewLabel();
                if (split.AtLeast is DispatchTree.Leaf direct)
                    e.Jump(Opcodes.Jump(OpClass.Jmp32, JmpOp.Jge, false), Nr, 0, (int)split.Low, direct.Target);
                else
                    e.Jump(Opcodes.Jump(OpClass.Jmp32, JmpOp.Jge, false), Nr, 0, (int)split.Low, atLeast);
                EmitTree(e, split.Below);
                if (split.AtLeast is not DispatchTree.Leaf)
                {
                    e.Mark(atLeast);
                    EmitTree(e, split.AtLeast);
                }
                break;
        }
    }

    /// <summary>Falls through when the test holds, jumps to <paramref name="fail"/> otherwise.</summary>
    private static void EmitTest(EbpfEmitter e, ArgTest t, int fail)
    {
        e.Emit(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.DW), Arg, Ctx, (short)SeccompData.ArgOffset(t.Index), 0));
        var cls = t.Wide ? OpClass.Jmp : OpClass.Jmp32;
        if (t.Op == ComparisonOperator.MaskedEqual)
        {
            if (t.Wide && !FitsImm(t.Mask))
            {
                e.LoadImm64(Datum, t.Mask);
                e.Emit(new Instruction(Opcodes.Alu(OpClass.Alu64, AluOp.And, true), Arg, Datum, 0, 0));
            }
            else
                e.Emit(new Instruction(Opcodes.Alu(t.Wide ? OpClass.Alu64 : OpClass.Alu, AluOp.And, false), Arg, 0, 0, (int)(uint)t.Mask));
        }
        // Jump to fail on the negation of the test.
        var failOp = t.Op switch
        {
            ComparisonOperator.Equal or ComparisonOperator.MaskedEqual => JmpOp.Jne,
            ComparisonOperator.NotEqual => JmpOp.Jeq,
            ComparisonOperator.LessThan => JmpOp.Jge,
            ComparisonOperator.LessOrEqual => JmpOp.Jgt,
            ComparisonOperator.GreaterThan => JmpOp.Jle,
            _ => JmpOp.Jlt,
        };
        if (!t.Wide || FitsImm(t.Datum))
            e.Jump(Opcodes.Jump(cls, failOp, false), Arg, 0, (int)(uint)t.Datum, fail);
        else
        {
            e.LoadImm64(Datum, t.Datum);
            e.Jump(Opcodes.Jump(cls, failOp, true), Arg, Datum, 0, fail);
        }
    }

    /// <summary>A 64-bit immediate operand is the sign-extended 32-bit imm.</summary>
    private static bool FitsImm(ulong value) => (long)value >= int.MinValue && (long)value <= int.MaxValue;
}
