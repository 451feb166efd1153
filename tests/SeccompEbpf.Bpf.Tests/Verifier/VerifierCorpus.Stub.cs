namespace SeccompEbpf.Bpf.Tests.Verifier;
internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> LoopCases() => [];
    private static IEnumerable<VerifierCase> CallCases() => [];
    private static IEnumerable<VerifierCase> PrivilegeCases() => [];
}
