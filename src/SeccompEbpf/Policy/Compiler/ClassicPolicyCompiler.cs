using SeccompEbpf.Bpf;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Policy.Compiler;

/// <summary>
/// Compiles a <see cref="FilterPlan"/> to a classic seccomp filter: arch dispatch, then per audit
/// arch a search tree over syscall-number ranges, then each syscall's rules (AND of argument
/// tests, first matching rule wins). Shared code is built once, known outcomes are threaded,
/// reloads of a word A already holds are dropped, and far jumps get trampolines. The result is
/// checked with the kernel's rules before it is returned.
/// </summary>
public static class ClassicPolicyCompiler
{
    public static BpfResult<ClassicInstruction[]> Compile(FilterPlan plan)
    {
        var g = new FilterGraph();
        int badArch = g.Return(plan.BadArchAction.Value);
        int next = badArch;
        // Built from the last arch test back to the first, so the first group is tested first.
        for (int i = plan.Groups.Count - 1; i >= 0; i--)
        {
            var group = plan.Groups[i];
            int body = g.Load(SeccompData.NrOffset, EmitGroup(g, group, badArch));
            next = g.Jump(JeqK, group.AuditArch, body, next);
        }
        int root = g.Load(SeccompData.ArchOffset, next);

        var program = g.Emit(root);
        if (program.Length > ClassicInstruction.MaxInstructions)
            return new BpfError($"the filter needs {program.Length} instructions; the kernel accepts at most {ClassicInstruction.MaxInstructions} (split the profile or reduce argument rules)");
        var checkedProgram = ClassicChecker.Check(program);
        if (!checkedProgram.IsOk)
            return new BpfError($"internal error: the compiled filter fails the kernel's checks: {checkedProgram.Error}");
        return program;
    }

    private static int EmitGroup(FilterGraph g, ArchGroup group, int badArch)
    {
        int fallback = g.Return(group.DefaultAction.Value);
        var targets = new Dictionary<uint, int>();
        foreach (var (nr, plan) in group.ByNumber)
            targets[nr] = ArgTestEmitter.EmitRules(g, plan.Rules, fallback, group.BigEndian);

        var realNumbers = group.Arches.SelectMany(a => SyscallTable.For(a).Entries.Select(e => (uint)e.Number)).ToHashSet();
        var breakpoints = group.Guard switch
        {
            NrGuard.RejectX32 => new[] { ArchGroup.X32Bit, uint.MaxValue },
            NrGuard.RequireX32 => new[] { ArchGroup.X32Bit },
            _ => Array.Empty<uint>(),
        };
        return SyscallDispatch.Emit(g, targets, nr => group.IsForeignNr(nr) ? badArch : fallback, breakpoints, realNumbers);
    }
}
