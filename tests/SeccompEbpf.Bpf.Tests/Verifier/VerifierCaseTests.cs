using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>Runs every accept/reject case of the corpus; a rejection must name the expected rule.</summary>
public sealed class VerifierCaseTests
{
    private static readonly Dictionary<string, VerifierCase> All = VerifierCorpus.All().ToDictionary(c => c.Name);

    public static TheoryData<string> Names() => new(All.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void Case(string name)
    {
        var c = All[name];
        var result = c.Run();
        if (c.ExpectRule is null)
            Assert.True(result.Accepted, $"expected accept, got: {result.Error}");
        else
        {
            Assert.False(result.Accepted, $"expected rejection by rule {c.ExpectRule}, but the program was accepted");
            Assert.Equal(c.ExpectRule, result.Error!.Rule);
        }
    }

    [Fact]
    public void CorpusHasAtLeast150CasesWithUniqueNames()
    {
        var cases = VerifierCorpus.All().ToList();
        Assert.True(cases.Count >= 150, $"only {cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
    }
}
