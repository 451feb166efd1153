using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Policy.Default;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Tests.Integrity;

/// <summary>The filters built into the binary (tools/default-policy-filter) are what their sources compile to today.</summary>
public sealed class BuiltInFiltersTests
{
    private const string Regenerate = "run `dotnet run --project tools/default-policy-filter` and commit the result";

    private static void SkipUnlessX86_64() =>
        Assert.SkipUnless(NativeArch.Known == SyscallArch.X86_64,
            "the built-in filters are for x86_64 machines; elsewhere they are compiled at run time");

    private static void AssertSame(IReadOnlyList<ClassicInstruction> expected, IReadOnlyList<ClassicInstruction> builtIn, string what) =>
        Assert.True(ClassicInstruction.ToBytes(expected).SequenceEqual(ClassicInstruction.ToBytes(builtIn)), $"the built-in {what} is stale: {Regenerate}");

    [Fact]
    public void The_built_in_default_policy_filter_equals_the_compiled_default_policy()
    {
        SkipUnlessX86_64();
        var compiled = PolicyRunPlan.Build(new PolicyRunOptions(new PolicyOptions()));
        Assert.True(compiled.IsOk, compiled.Error?.ToString());
        Assert.False(compiled.Value.Plan.NeedsListener);
        AssertSame(compiled.Value.Plan.KernelFilter, DefaultPolicyKernelFilter.ForThisMachine()!, "default policy filter");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_built_in_base_filter_equals_the_compiled_one(bool refuseNewListener)
    {
        SkipUnlessX86_64();
        var compiled = SandboxBaseFilter.Build(NativeArch.AbisOf(SyscallArch.X86_64), refuseNewListener, signals: null);
        AssertSame(compiled, SandboxBaseFilter.For(refuseNewListener, signals: null), "base filter");
    }

    [Fact]
    public void The_built_in_plan_needs_no_supervisor_and_says_what_it_is()
    {
        SkipUnlessX86_64();
        var plan = BuiltInDefaultPlan.ForThisMachine()!;
        Assert.False(plan.NeedsListener);
        Assert.Equal(DefaultPolicy.Name, plan.Description);
    }
}
