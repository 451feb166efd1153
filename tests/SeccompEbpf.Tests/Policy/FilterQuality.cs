using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// Instructions executed by a filter, over every real system call of one ABI (each called once
/// with zero arguments): the worst and the average. The measure used in the closing note.
/// </summary>
internal static class FilterQuality
{
    public sealed record Figures(int Instructions, int Worst, double Average, string WorstSyscall);

    public static Figures Measure(ClassicInstruction[] program, SyscallArch arch)
    {
        int worst = 0;
        long total = 0;
        string worstName = "";
        var entries = SyscallTable.For(arch).Entries.ToList();
        foreach (var (name, nr) in entries)
        {
            ClassicInterpreter.Run(program, SeccompData.For(nr, arch.AuditArch()), out int executed);
            total += executed;
            if (executed > worst) { worst = executed; worstName = name; }
        }
        return new Figures(program.Length, worst, (double)total / entries.Count, worstName);
    }
}
