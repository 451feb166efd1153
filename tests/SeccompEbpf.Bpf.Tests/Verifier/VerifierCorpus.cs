namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>The accept/reject corpus, one file per area of rules.</summary>
internal static partial class VerifierCorpus
{
    public static IEnumerable<VerifierCase> All() =>
        StaticCases().Concat(AluCases()).Concat(StackCases()).Concat(MapCases()).Concat(HelperCases())
            .Concat(BranchCases()).Concat(LoopCases()).Concat(CallCases()).Concat(PrivilegeCases());
}
