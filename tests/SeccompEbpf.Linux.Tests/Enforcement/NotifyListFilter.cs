using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicInstruction;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>
/// The enforcement tests' kernel filter, with no policy in between: calls of another architecture (and
/// x32 calls) are killed, the listed system calls go to user notification, everything else is allowed.
/// </summary>
public static class NotifyListFilter
{
    public static IReadOnlyList<ClassicInstruction> Build(uint arch, IReadOnlyCollection<int> notifiedSyscalls)
    {
        var distinct = notifiedSyscalls.Distinct().ToArray();
        if (distinct.Length > 250) throw new ArgumentException($"at most 250 notified system calls (got {distinct.Length}): jump offsets are 8-bit");
        var program = new List<ClassicInstruction>
        {
            Stmt(Ld | W | Abs, SeccompData.ArchOffset),
            Jump(Jmp | Jeq | K_, arch, 1, 0),
            Stmt(Ret | K_, SeccompAction.KillProcess),
            Stmt(Ld | W | Abs, SeccompData.NrOffset),
        };
        if (arch == AuditArch.X86_64)
        {
            // x32 shares the x86_64 arch value and flags its numbers with bit 30.
            program.Add(Jump(Jmp | Jge | K_, (uint)AuditArch.X32SyscallBit, 0, 1));
            program.Add(Stmt(Ret | K_, SeccompAction.KillProcess));
        }
        // One JEQ per notified call, each jumping to the shared USER_NOTIF return after the ALLOW.
        for (int i = 0; i < distinct.Length; i++)
            program.Add(Jump(Jmp | Jeq | K_, (uint)distinct[i], (byte)(distinct.Length - i), 0));
        program.Add(Stmt(Ret | K_, SeccompAction.Allow));
        if (distinct.Length > 0) program.Add(Stmt(Ret | K_, SeccompAction.UserNotif));
        return program;
    }
}
