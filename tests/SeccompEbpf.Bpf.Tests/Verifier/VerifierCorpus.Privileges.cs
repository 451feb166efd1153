using SeccompEbpf.Bpf.Isa;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> PrivilegeCases()
    {
        yield return Accept("priv: unprivileged simple program", Ldx(MemSize.W, R0, R1, 0), Exit()).Unprivileged();
        yield return Reject("priv: unprivileged pointer into helper anything", R.PointerLeak, Mov(R1, 0), MovR(R2, R10), Call(42), Mov(R0, 0), Exit())
            with { Privileged = false, Configure = o => o with { Helpers = new Dictionary<int, global::SeccompEbpf.Bpf.Helpers.HelperPrototype> { [42] = new(42, "anything", global::SeccompEbpf.Bpf.Helpers.HelperReturn.Integer, global::SeccompEbpf.Bpf.Helpers.HelperArg.Anything, global::SeccompEbpf.Bpf.Helpers.HelperArg.Anything) } } };
        yield return Accept("priv: privileged pointer into helper anything", Mov(R1, 0), MovR(R2, R10), Call(42), Mov(R0, 0), Exit())
            with { Configure = o => o with { Helpers = new Dictionary<int, global::SeccompEbpf.Bpf.Helpers.HelperPrototype> { [42] = new(42, "anything", global::SeccompEbpf.Bpf.Helpers.HelperReturn.Integer, global::SeccompEbpf.Bpf.Helpers.HelperArg.Anything, global::SeccompEbpf.Bpf.Helpers.HelperArg.Anything) } } };
        yield return Reject("priv: unprivileged spilled pointer read by helper", R.PointerLeak, Stx(MemSize.DW, R10, -8, R10), MovR(R1, R10), Add(R1, -8), Mov(R2, 8), Call(6), Mov(R0, 0), Exit()).Unprivileged();
        yield return Reject("priv: unprivileged map value pointer past end", R.PointerArithmetic, Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Add(R0, 8), Mov(R0, 0), Exit()).Unprivileged();
        yield return Accept("priv: privileged map value pointer past end not dereferenced", Lookup(0), J(JmpOp.Jeq, R0, 0, 1), Add(R0, 8), Mov(R0, 0), Exit());
        yield return Reject("priv: processed-instruction budget", R.TooComplex, Mov(R0, 0), Add(R0, 1), J(JmpOp.Jlt, R0, 100, -2), Exit())
            with { Configure = o => o with { MaxProcessedInstructions = 100 } };
        yield return Accept("priv: log level 2 does not change the verdict", Mov(R0, 0), Exit()) with { Configure = o => o with { LogLevel = 2 } };
    }
}
