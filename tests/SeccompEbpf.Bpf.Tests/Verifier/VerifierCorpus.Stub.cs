namespace SeccompEbpf.Bpf.Tests.Verifier;
internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> StackCases() => [];
    private static IEnumerable<VerifierCase> MapCases() => [];
    private static IEnumerable<VerifierCase> HelperCases() => [];
    private static IEnumerable<VerifierCase> BranchCases() => [];
    private static IEnumerable<VerifierCase> LoopCases() => [];
    private static IEnumerable<VerifierCase> CallCases() => [];
    private static IEnumerable<VerifierCase> PrivilegeCases() => [];
}
