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
        // Big-endian, 31/32-bit sub-arches, socketcall/ipc multiplexing, MIPS number bases.
        { "docker-default.json", "s390x" },
        { "docker-default.json", "ppc64le" },
        { "docker-default.json", "mips64" },
        { "docker-default.json", "mipsel64n32" },
        { "podman-default.json", "s390x" },
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

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int perNumber = 1_000_000 / PolicyInputs.CountNumbers(plan) + 1;
        var result = FilterComparison.Compare(reference, ours, PolicyInputs.For(plan, perNumber, seed: 7), d => plan.Evaluate(in d));
        output.WriteLine($"{file} on {native}: {result.Inputs:N0} inputs, ours {ours.Length} instructions, libseccomp {reference.Length}, compared in {clock.ElapsedMilliseconds} ms");
        Assert.True(result.Inputs >= 1_000_000, $"only {result.Inputs} inputs");
        Assert.True(result.DifferenceCount == 0, $"{result.DifferenceCount} differences, first:\n{string.Join("\n", result.Differences)}");
    }
}

/// <summary>200 random profiles (seeds 0..199), each compared with libseccomp on every syscall number of its arches.</summary>
public class RandomProfileEquivalenceTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomProfilesMatchLibSeccomp()
    {
        Assert.SkipUnless(LibSeccompNative.IsAvailable(), "libseccomp.so.2 not installed (apt-get install libseccomp-dev)");
        long inputs = 0;
        int repairedProfiles = 0;
        var refused = new List<string>();
        var failures = new List<string>();
        var actionsSeen = new HashSet<ActionKind>();
        var operatorsSeen = new HashSet<ComparisonOperator>();
        for (int seed = 0; seed < 200; seed++)
        {
            var profile = RandomProfiles.Generate(seed);
            if (Environment.GetEnvironmentVariable("SECCOMP_EBPF_DUMP_PROFILES") is { } dumpDir)
                File.WriteAllText(Path.Combine(dumpDir, $"random-{seed}.json"), ProfileWriter.ToJson(profile));
            actionsSeen.UnionWith(profile.Syscalls.Select(s => s.Action.Kind).Append(profile.DefaultAction.Kind));
            operatorsSeen.UnionWith(profile.Syscalls.SelectMany(s => s.Args).Select(a => a.Op));
            var target = new ProfileTarget();
            var plan = PolicyResolver.Resolve(profile, target).Plan;
            var compiled = ClassicPolicyCompiler.Compile(plan);
            if (!compiled.IsOk) { failures.Add($"seed {seed}: {compiled.Error}"); continue; }
            SeccompEbpf.Classic.ClassicInstruction[] reference;
            try { reference = LibSeccompReference.Compile(profile, target); }
            catch (InvalidOperationException e)
            {
                // libseccomp refuses some valid rules (runc would fail to start the container); nothing to compare.
                refused.Add($"seed {seed}: {e.Message}");
                continue;
            }
            (reference, var repairs) = LibSeccompMissingLoadRepair.Repair(reference);
            if (repairs > 0) repairedProfiles++;
            var result = FilterComparison.Compare(reference, compiled.Value, PolicyInputs.For(plan, 1, seed, vectorsPerRuleNumber: 24), d => plan.Evaluate(in d));
            inputs += result.Inputs;
            if (result.DifferenceCount > 0)
                failures.Add($"seed {seed}: {result.DifferenceCount} differences, first:\n{string.Join("\n", result.Differences.Take(2))}\n{Describe(plan, result.FirstDifference)}");
        }
        output.WriteLine($"200 random profiles, {inputs:N0} inputs, {failures.Count} with differences; libseccomp's missing-load bug repaired in {repairedProfiles}; libseccomp refused {refused.Count}");
        foreach (var r in refused) output.WriteLine(r);
        Assert.Equal(Enum.GetValues<ActionKind>().Length, actionsSeen.Count);
        foreach (var f in failures.Take(12)) output.WriteLine(f);
        Assert.Equal(7, operatorsSeen.Count);
        Assert.True(refused.Count <= 10, $"libseccomp refused {refused.Count} of 200 profiles: too few comparisons");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(12)));
    }

    private static string Describe(FilterPlan plan, SeccompEbpf.Model.SeccompData? data)
    {
        if (data is not { } d) return "";
        var group = plan.Groups.FirstOrDefault(g => g.AuditArch == d.Arch);
        if (group is null || !group.ByNumber.TryGetValue((uint)d.Nr, out var sp)) return "  (no rules)";
        return $"  default {group.DefaultAction}; {sp.Name}: " + string.Join(" | ", sp.Rules.Select(r => $"[{string.Join(" && ", r.Tests)}] -> {r.Action}"));
    }
}
