using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Bpf.Tests.Conformance;

/// <summary>
/// The public BPF conformance suite (../shared/testdata/bpf-conformance) on the interpreter:
/// every tests/*.data must pass, every negative/*.data must be rejected (a parse, assembly,
/// validation or run-time error, or a result other than the file's deliberately wrong one). One theory row per file
/// so failures are visible by name, plus a summary that prints the counts.
/// </summary>
public class ConformanceSuiteTests(ITestOutputHelper output)
{
    public static TheoryData<string> PositiveFiles() => Names(SharedData.ConformanceTests);
    public static TheoryData<string> NegativeFiles() => Names(SharedData.ConformanceNegative);

    [Theory]
    [MemberData(nameof(PositiveFiles))]
    public void ConformanceFilePasses(string file)
    {
        var path = Require(SharedData.ConformanceTests, file);
        var outcome = ConformanceCaseRunner.Run(path);
        Assert.True(outcome.Passed, outcome.ToString());
    }

    [Theory]
    [MemberData(nameof(NegativeFiles))]
    public void NegativeFileIsRejected(string file)
    {
        var path = Require(SharedData.ConformanceNegative, file);
        var outcome = ConformanceCaseRunner.Run(path);
        Assert.True(outcome.RejectedAsNegative, $"{file} should be rejected but was accepted: {outcome}");
        output.WriteLine(outcome.ToString());
    }

    [Fact]
    public void WholeSuiteSummary()
    {
        var positives = ConformanceFiles.Tests().Select(p => ConformanceCaseRunner.Run(p)).ToList();
        var negatives = ConformanceFiles.Negative().Select(p => ConformanceCaseRunner.Run(p)).ToList();
        int passed = positives.Count(o => o.Passed);
        int rejected = negatives.Count(o => o.RejectedAsNegative);
        foreach (var failure in positives.Where(o => !o.Passed)) output.WriteLine("FAIL " + failure);
        foreach (var accepted in negatives.Where(o => !o.RejectedAsNegative)) output.WriteLine("NOT REJECTED " + accepted);
        output.WriteLine($"conformance ({EngineKind.Interpreter}): {passed}/{positives.Count} tests passed, {rejected}/{negatives.Count} negative tests rejected");
        Assert.Equal(positives.Count, passed);
        Assert.Equal(negatives.Count, rejected);
    }

    /// <summary>File names for theory rows; a single placeholder row when the shared data is absent, which then skips.</summary>
    private static TheoryData<string> Names(string directory)
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(directory))
            foreach (var f in Directory.GetFiles(directory, "*.data").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        if (data.Count == 0) data.Add("(shared data absent)");
        return data;
    }

    private static string Require(string directory, string file)
    {
        var found = SharedData.TryDirectory(directory, out var reason);
        Assert.SkipWhen(found is null, reason);
        return Path.Combine(found!, file);
    }
}
