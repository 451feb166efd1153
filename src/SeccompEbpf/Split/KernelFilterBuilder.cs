using SeccompEbpf.Bpf;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Split;

/// <summary>
/// The kernel half of a split plan as one classic filter: arch dispatch, a search tree over the
/// syscall-number classes (the profile compiler's machinery), constant actions for static classes,
/// the profile's argument tests for kernel-argument classes, USER_NOTIF for dynamic ones. Checked
/// with the kernel's rules before it is returned.
/// </summary>
public static class KernelFilterBuilder
{
    public static BpfResult<ClassicInstruction[]> Build(SplitPlan plan)
    {
        var g = new FilterGraph();
        int next = g.Return(plan.OtherArches.KernelAction.Value);
        for (int i = plan.Arches.Count - 1; i >= 0; i--)
        {
            var arch = plan.Arches[i];
            int body = g.Load(SeccompData.NrOffset, EmitArch(g, arch));
            next = g.Jump(JeqK, arch.AuditArch, body, next);
        }
        int root = g.Load(SeccompData.ArchOffset, next);
        var program = g.Emit(root);
        if (program.Length > ClassicInstruction.MaxInstructions)
            return new BpfError($"the kernel filter needs {program.Length} instructions; the kernel accepts at most {ClassicInstruction.MaxInstructions}");
        var check = ClassicChecker.Check(program);
        if (!check.IsOk) return new BpfError($"internal error: the kernel filter fails the kernel's checks: {check.Error}");
        return program;
    }

    private static int EmitArch(FilterGraph g, ArchSplit arch)
    {
        bool bigEndian = AuditArch.IsBigEndian(arch.AuditArch);
        var nodes = arch.Entries.Select(e => EmitEntry(g, e, bigEndian)).ToArray();
        var targets = new Dictionary<uint, int>();
        for (int i = 0; i < arch.Entries.Count; i++)
            if (arch.Entries[i].IsSingle) targets[arch.Entries[i].Low] = nodes[i];
        int Otherwise(uint nr) => nodes[arch.IndexFor(nr)];
        var breakpoints = arch.Entries.Select(e => e.Low).ToList();
        var real = arch.Arches.SelectMany(a => SyscallTable.For(a).Entries.Select(e => (uint)e.Number)).ToHashSet();
        return SyscallDispatch.Emit(g, targets, Otherwise, breakpoints, real);
    }

    private static int EmitEntry(FilterGraph g, SplitEntry entry, bool bigEndian)
    {
        int fallback = g.Return(entry.KernelAction.Value);
        if (entry.Kind != SplitKind.KernelArguments) return fallback;
        return ArgTestEmitter.EmitRules(g, entry.Rules, fallback, bigEndian);
    }
}
