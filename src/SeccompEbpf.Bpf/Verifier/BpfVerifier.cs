using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Entry point: checks a program statically, then explores every path with abstract values
/// (as the kernel's verifier does) and either accepts it or names the first rule it breaks.
/// Never throws on bad input.
/// </summary>
public static class BpfVerifier
{
    public static VerificationResult Verify(IReadOnlyList<Instruction> program, VerifierOptions options)
    {
        VerificationCount.Record();
        return new VerifierRun(program, options).Run();
    }
}
