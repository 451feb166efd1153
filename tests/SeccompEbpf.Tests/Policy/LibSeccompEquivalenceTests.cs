using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// The heart of the policy compiler's claim: for real profiles, our filter returns exactly what
/// libseccomp's filter returns (both run by our classic interpreter) on more than a million inputs.
/// </summary>
public class LibSeccompEquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> RealProfiles => new()
    {
        { "docker-default.json", "x86_64" },
        { "docker-default.json", "aarch64" },
        { "docker-default.json", "riscv64" },
        { "podman-default.json", "x86_64" },
        { "podman-default.json", "aarch64" },
    };

    [Theory]
    [MemberData(nameof(RealProfiles))]
    public void RealProfileMatchesLibSeccomp(string file, string native)
    {
        Assert.SkipUnless(LibSeccompNative.IsAvailable(), "libseccomp.so.2 not installed (apt-get install libseccomp-dev)");
        var dir = SharedProfiles.Directory(out var reason);
        Assert.SkipWhen(dir is null, reason);
        var profile = ProfileParser.ParseFile(Path.Combine(dir!, file)).Profile!;
        Assert.True(SyscallArchInfo.TryParse(native, out var arch));
        var target = new ProfileTarget { NativeArch = arch };

        var plan = PolicyResolver.Resolve(profile, target).Plan;
        var ours = ClassicPolicyCompiler.Compile(plan).Value;
        var reference = LibSeccompReference.Compile(profile, target);

        int perNumber = 1_000_000 / PolicyInputs.CountNumbers(plan) + 1;
        var result = FilterComparison.Compare(reference, ours, PolicyInputs.For(plan, perNumber, seed: 7), d => plan.Evaluate(in d));
        output.WriteLine($"{file} on {native}: {result.Inputs:N0} inputs, ours {ours.Length} instructions, libseccomp {reference.Length}");
        Assert.True(result.Inputs >= 1_000_000, $"only {result.Inputs} inputs");
        Assert.True(result.DifferenceCount == 0, $"{result.DifferenceCount} differences, first:\n{string.Join("\n", result.Differences)}");
    }
}
