using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// libseccomp 2.5.4 bug (found by the equivalence tests): when the first syscall of an arch block
/// is a pseudo-syscall (a name that does not exist on that arch, dropped from the BPF), the block
/// also loses its "ld [0]", so the syscall-number tests compare the AUDIT_ARCH value instead and
/// every call of that arch gets the default action. runc/crun inherit this. To compare meanings,
/// the reference is repaired by inserting the missing load; the tests report how often.
/// </summary>
internal static class LibSeccompMissingLoadRepair
{
    /// <summary>Returns the repaired program and the number of arch blocks that lacked their load.</summary>
    public static (ClassicInstruction[] Program, int Repairs) Repair(ClassicInstruction[] program)
    {
        var blocks = new List<int>();
        if (program.Length < 2 || program[0] != ClassicInstruction.Stmt(LdAbsW, (uint)SeccompData.ArchOffset))
            return (program, 0);
        int pc = 1;
        while (pc < program.Length && program[pc].Code == JeqK && IsArchValue(program[pc].K))
        {
            int block = pc + 1 + program[pc].Jt;
            if (program[block].Code != LdAbsW) blocks.Add(block);
            pc = pc + 1 + program[pc].Jf;
        }
        var result = program.ToList();
        foreach (var block in blocks.Distinct().OrderByDescending(b => b))
            Insert(result, block, ClassicInstruction.Stmt(LdAbsW, (uint)SeccompData.NrOffset));
        return (result.ToArray(), blocks.Count);
    }

    private static bool IsArchValue(uint k) =>
        k is AuditArch.X86_64 or AuditArch.I386 or AuditArch.AArch64 or AuditArch.Arm or AuditArch.RiscV64;

    /// <summary>Inserts at <paramref name="at"/>; jumps over it grow by one, jumps to it now reach the new instruction.</summary>
    private static void Insert(List<ClassicInstruction> program, int at, ClassicInstruction instruction)
    {
        for (int i = 0; i < at; i++)
        {
            var ins = program[i];
            if ((ins.Code & 0x07) != 0x05) continue;
            if (ins.Code == Ja)
            {
                if (i + 1 + ins.K > at) program[i] = ins with { K = ins.K + 1 };
                continue;
            }
            byte Grow(byte off) => i + 1 + off > at
                ? checked((byte)(off + 1))
                : off;
            program[i] = ins with { Jt = Grow(ins.Jt), Jf = Grow(ins.Jf) };
        }
        program.Insert(at, instruction);
    }
}
