using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;
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
        var code = Decode(program);
        foreach (var block in blocks.Distinct().OrderByDescending(b => b))
            code = InsertLoad(code, block);
        return (Encode(code), blocks.Count);
    }

    private static bool IsArchValue(uint k) => SyscallArchInfo.All.Any(a => a.AuditArch() == k);

    /// <summary>An instruction whose jumps name absolute targets (Ja's in True).</summary>
    private sealed record Slot(ClassicInstruction Instruction, int True = -1, int False = -1)
    {
        public bool IsConditional => (Instruction.Code & 0x07) == 0x05 && Instruction.Code != Ja;
    }

    private static List<Slot> Decode(ClassicInstruction[] program) => program.Select((ins, i) =>
        ins.Code == Ja ? new Slot(ins, i + 1 + (int)ins.K)
        : (ins.Code & 0x07) == 0x05 ? new Slot(ins, i + 1 + ins.Jt, i + 1 + ins.Jf)
        : new Slot(ins)).ToList();

    /// <summary>Inserts "ld [0]" at <paramref name="at"/>: jumps to <paramref name="at"/> now reach the load.</summary>
    private static List<Slot> InsertLoad(List<Slot> code, int at)
    {
        int Shift(int target) => target > at ? target + 1 : target;
        var result = code.Select(s => s with { True = Shift(s.True), False = Shift(s.False) }).ToList();
        result.Insert(at, new Slot(ClassicInstruction.Stmt(LdAbsW, (uint)SeccompData.NrOffset)));
        return result;
    }

    /// <summary>Offsets from the absolute targets; a conditional jump beyond 255 goes through a "ja" placed right after it.</summary>
    private static ClassicInstruction[] Encode(List<Slot> code)
    {
        while (AddTrampoline(code)) { }
        return code.Select((s, i) =>
            s.Instruction.Code == Ja ? s.Instruction with { K = (uint)(s.True - i - 1) }
            : s.IsConditional ? s.Instruction with { Jt = (byte)(s.True - i - 1), Jf = (byte)(s.False - i - 1) }
            : s.Instruction).ToArray();
    }

    /// <summary>Gives the first conditional jump that cannot reach a target a trampoline; false when none is left.</summary>
    private static bool AddTrampoline(List<Slot> code)
    {
        for (int i = 0; i < code.Count; i++)
        {
            var s = code[i];
            if (!s.IsConditional) continue;
            bool farTrue = s.True - i - 1 > byte.MaxValue;
            if (!farTrue && s.False - i - 1 <= byte.MaxValue) continue;
            int Shift(int target) => target > i ? target + 1 : target;
            for (int j = 0; j < code.Count; j++)
                code[j] = code[j] with { True = Shift(code[j].True), False = Shift(code[j].False) };
            code.Insert(i + 1, new Slot(ClassicInstruction.Stmt(Ja, 0), farTrue ? code[i].True : code[i].False));
            code[i] = farTrue ? code[i] with { True = i + 1 } : code[i] with { False = i + 1 };
            return true;
        }
        return false;
    }
}
