using System.Security.Cryptography;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Linux.Injection;

/// <summary>
/// The secret that marks the supervisor's injected seccomp() call: two random 64-bit words in the
/// call's unused fourth and fifth argument registers. The policy's kernel filter starts with a gate
/// that lets exactly such a call through (it may be notified or refused otherwise, and a notified
/// injected call would wait for the supervisor that is injecting it). A sandboxed program cannot
/// learn the words: reading its own filter needs CAP_SYS_ADMIN (which a policy may not grant it);
/// and what the gate allows is only seccomp() adding filters, which can only make its verdicts stricter.
/// </summary>
public readonly record struct InjectionCookie(ulong First, ulong Second)
{
    private const int SeccompNumberX86_64 = 317;

    public static InjectionCookie NewRandom() =>
        new(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)), BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));

    /// <summary>
    /// <paramref name="program"/> behind the gate: x86_64 seccomp() with this cookie in args[3] and
    /// args[4] is allowed, anything else runs <paramref name="program"/> unchanged (A and X cleared first,
    /// as the kernel starts a filter).
    /// </summary>
    public ClassicInstruction[] Gate(IReadOnlyList<ClassicInstruction> program)
    {
        static uint Lo(ulong v) => (uint)v;
        static uint Hi(ulong v) => (uint)(v >> 32);
        // Each test jumps to "run the program" (the two clearing instructions after the ALLOW) when it fails.
        (ushort Code, uint K, bool Test)[] tests =
        [
            (LdAbsW, SeccompData.ArchOffset, false), (JeqK, AuditArch.X86_64, true),
            (LdAbsW, SeccompData.NrOffset, false), (JeqK, SeccompNumberX86_64, true),
            (LdAbsW, (uint)SeccompData.ArgOffset(3), false), (JeqK, Lo(First), true),
            (LdAbsW, (uint)SeccompData.ArgOffset(3) + 4, false), (JeqK, Hi(First), true),
            (LdAbsW, (uint)SeccompData.ArgOffset(4), false), (JeqK, Lo(Second), true),
            (LdAbsW, (uint)SeccompData.ArgOffset(4) + 4, false), (JeqK, Hi(Second), true),
        ];
        var gated = new List<ClassicInstruction>(tests.Length + 3 + program.Count);
        for (int i = 0; i < tests.Length; i++)
        {
            var (code, k, test) = tests[i];
            var toProgram = (byte)(tests.Length - i); // past the remaining tests and the ALLOW
            gated.Add(test ? ClassicInstruction.Jump(code, k, 0, toProgram) : ClassicInstruction.Stmt(code, k));
        }
        gated.Add(ClassicInstruction.Stmt(RetK, SeccompAction.Allow));
        gated.Add(ClassicInstruction.Stmt(LdImm, 0));
        gated.Add(ClassicInstruction.Stmt(LdxImm, 0));
        gated.AddRange(program);
        return [.. gated];
    }
}
