using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Tests.Conformance;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Bpf.Tests.Jit;

/// <summary>
/// The public BPF conformance suite under the JIT, through the same driver as the interpreter's
/// suite: every positive file passes, every negative file is rejected, and each file's outcome
/// (stage, r0, error text) is identical to the interpreter's.
/// </summary>
public class JitConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void WholeSuitePassesUnderTheJit()
    {
        RequireSharedData();
        var positives = ConformanceFiles.Tests().Select(p => ConformanceCaseRunner.Run(p, EngineKind.Jit)).ToList();
        var negatives = ConformanceFiles.Negative().Select(p => ConformanceCaseRunner.Run(p, EngineKind.Jit)).ToList();
        int passed = positives.Count(o => o.Passed);
        int rejected = negatives.Count(o => o.RejectedAsNegative);
        foreach (var failure in positives.Where(o => !o.Passed)) output.WriteLine("FAIL " + failure);
        foreach (var accepted in negatives.Where(o => !o.RejectedAsNegative)) output.WriteLine("NOT REJECTED " + accepted);
        output.WriteLine($"conformance ({EngineKind.Jit}): {passed}/{positives.Count} tests passed, {rejected}/{negatives.Count} negative tests rejected");
        Assert.True(positives.Count > 0, "no conformance files found");
        Assert.Equal(positives.Count, passed);
        Assert.Equal(negatives.Count, rejected);
    }

    [Fact]
    public void EveryFileHasTheSameOutcomeAsTheInterpreter()
    {
        RequireSharedData();
        var differences = new List<string>();
        foreach (var path in ConformanceFiles.Tests().Concat(ConformanceFiles.Negative()))
        {
            var interpreted = ConformanceCaseRunner.Run(path, EngineKind.Interpreter);
            var jitted = ConformanceCaseRunner.Run(path, EngineKind.Jit);
            if (interpreted != jitted) differences.Add($"interpreter: {interpreted}\n        jit: {jitted}");
        }
        foreach (var d in differences) output.WriteLine(d);
        Assert.Empty(differences);
    }

    private static void RequireSharedData()
    {
        var found = SharedData.TryDirectory(SharedData.ConformanceTests, out var reason);
        Assert.SkipWhen(found is null, reason);
    }
}
