using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;

namespace SeccompEbpf.Tests.Policy;

/// <summary>The eBPF program compiled from a plan, run by the engine, must give the plan's verdict.</summary>
public class EbpfPolicyCompilerTests(ITestOutputHelper output)
{
    private static long CompareWithPlan(FilterPlan plan, int vectors, int seed)
    {
        var program = EbpfPolicyCompiler.Compile(plan).Value;
        var executable = BpfEngines.Prepare(new BpfProgram("policy", program)).Value;
        long count = 0;
        foreach (var data in PolicyInputs.For(plan, vectors, seed, vectorsPerRuleNumber: 8))
        {
            var result = executable.RunWithContext(BpfExecutableExtensions.ThreadContext, data.ToBytes());
            Assert.True(result.IsOk, result.ToString());
            uint expected = plan.Evaluate(in data);
            if (result.R0 != expected)
                Assert.Fail($"nr {data.Nr} arch 0x{data.Arch:x} args [{data.Args}]: plan 0x{expected:x8}, eBPF 0x{result.R0:x}");
            count++;
        }
        return count;
    }

    [Fact]
    public void RandomProfilesGiveThePlansVerdicts()
    {
        long inputs = 0;
        for (int seed = 0; seed < 20; seed++)
            inputs += CompareWithPlan(PolicyResolver.Resolve(RandomProfiles.Generate(seed), new ProfileTarget()).Plan, 1, seed);
        output.WriteLine($"{inputs:N0} inputs");
    }

    [Theory]
    [InlineData("docker-default.json")]
    [InlineData("podman-default.json")]
    public void RealProfilesGiveThePlansVerdicts(string file)
    {
        var path = SharedProfiles.File(file, out var reason);
        Assert.SkipWhen(path is null, reason);
        var plan = PolicyResolver.Resolve(ProfileParser.ParseFile(path!).Profile!, new ProfileTarget()).Plan;
        long inputs = CompareWithPlan(plan, 2, 5);
        output.WriteLine($"{file}: {EbpfPolicyCompiler.Compile(plan).Value.Length} eBPF instructions, {inputs:N0} inputs");
    }
}
