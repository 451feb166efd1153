using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

/// <summary>The compiled filter must mean exactly what the plan says (no libseccomp needed here).</summary>
public class ClassicPolicyCompilerTests
{
    private static FilterPlan Plan(SeccompProfile profile) => PolicyResolver.Resolve(profile, new ProfileTarget()).Plan;

    private static void AssertMatchesPlan(FilterPlan plan, ClassicInstruction[] program, int vectors = 2)
    {
        foreach (var data in PolicyInputs.For(plan, vectors, seed: 1))
        {
            var expected = plan.Evaluate(in data);
            var actual = ClassicInterpreter.Run(program, in data, out _);
            Assert.True(expected == actual, $"nr {data.Nr} arch 0x{data.Arch:x} args [{data.Args}]: plan 0x{expected:x8}, filter 0x{actual:x8}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(11)]
    public void RandomProfilesCompileToTheirPlan(int seed)
    {
        var plan = Plan(RandomProfiles.Generate(seed));
        var program = ClassicPolicyCompiler.Compile(plan).Value;
        Assert.Null(ClassicChecker.Validate(program));
        AssertMatchesPlan(plan, program);
    }

    [Fact]
    public void LongFiltersUseTrampolinesAndStayCorrect()
    {
        // Many argument rules on many syscalls: far more than 255 instructions between a jump and its target.
        var names = SyscallTable.For(SyscallArch.X86_64).Entries.Take(150).Select(e => e.Name).ToList();
        var rules = names.Select((n, i) => new SyscallRule
        {
            Names = [n],
            Action = new ProfileAction(i % 2 == 0 ? ActionKind.Allow : ActionKind.Log),
            Args = [new ArgCondition(i % 6, (ulong)i << (i % 40), 0, (ComparisonOperator)(i % 7)), new ArgCondition((i + 1) % 6, (ulong)i * 77, 0, ComparisonOperator.GreaterThan)],
        }).ToList();
        var profile = new SeccompProfile { DefaultAction = new ProfileAction(ActionKind.Errno), Architectures = ["SCMP_ARCH_X86_64"], Syscalls = rules };
        var plan = Plan(profile);
        var program = ClassicPolicyCompiler.Compile(plan).Value;
        Assert.True(program.Length > 600, $"only {program.Length} instructions");
        Assert.Contains(program, i => i.Code == ClassicOpcodes.Ja);
        Assert.Null(ClassicChecker.Validate(program));
        AssertMatchesPlan(plan, program, vectors: 3);
    }

    [Fact]
    public void TooLargeFiltersAreAnErrorNotACrash()
    {
        var names = SyscallArchInfo.All.SelectMany(a => SyscallTable.For(a).Entries.Select(e => e.Name)).Distinct().ToList();
        var rules = names.SelectMany((n, i) => Enumerable.Range(0, 4).Select(k => new SyscallRule
        {
            Names = [n],
            Action = new ProfileAction(ActionKind.Allow),
            Args = [new ArgCondition(k, (ulong)(i * 7 + k) << 33, 0, ComparisonOperator.LessOrEqual), new ArgCondition(5, (ulong)i << 20 | (uint)k, 0, ComparisonOperator.NotEqual)],
        })).ToList();
        var profile = new SeccompProfile { DefaultAction = new ProfileAction(ActionKind.KillProcess), Syscalls = rules };
        var result = ClassicPolicyCompiler.Compile(Plan(profile));
        Assert.False(result.IsOk);
        Assert.Contains("at most 4096", result.Error!.Message);
    }

    [Fact]
    public void SharesCodeBetweenSyscallsWithTheSameRules()
    {
        var profile = ProfileParser.Parse("""
            {"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],
             "syscalls":[{"names":["read","write","openat","close"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":3,"op":"SCMP_CMP_LE"}]}]}
            """).Profile!;
        var program = ClassicPolicyCompiler.Compile(Plan(profile)).Value;
        // One copy of the argument test, not four.
        Assert.Equal(1, program.Count(i => i.Code == ClassicOpcodes.LdAbsW && i.K == (uint)SeccompData.ArgOffset(0) + 4));
    }

    [Fact]
    public void DockerProfileExecutesFewerInstructionsThanLibSeccompsBinaryTree()
    {
        Assert.SkipUnless(LibSeccompNative.IsAvailable(), "libseccomp.so.2 not installed");
        var path = SharedProfiles.File("docker-default.json", out var reason);
        Assert.SkipWhen(path is null, reason);
        var profile = ProfileParser.ParseFile(path!).Profile!;
        var target = new ProfileTarget();
        var ours = FilterQuality.Measure(ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(profile, target).Plan).Value, SyscallArch.X86_64);
        var tree = FilterQuality.Measure(LibSeccompReference.Compile(profile, target, LibSeccompReference.Tree.Binary), SyscallArch.X86_64);
        Assert.True(ours.Average < tree.Average, $"ours {ours.Average:F2} vs libseccomp binary tree {tree.Average:F2}");
    }
}
