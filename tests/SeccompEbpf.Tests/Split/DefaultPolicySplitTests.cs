using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Default;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Split;

public class DefaultPolicySplitTests
{
    private static PolicyStack Stack()
    {
        var loaded = PolicyLoader.Load(new PolicyOptions { Arches = DefaultPolicy.Arches });
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        return loaded.Value.Stack;
    }

    [Fact]
    public void Default_policy_parses_and_resolves_without_errors()
    {
        var resolved = PolicyResolver.Resolve(DefaultPolicy.Profile(), new ProfileTarget { ArchesOverride = DefaultPolicy.Arches });
        Assert.DoesNotContain(resolved.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(2, resolved.Plan.Groups.Count); // x86_64+x32 share an audit arch; i386
    }

    [Fact]
    public void Every_syscall_of_the_default_policy_stays_in_the_kernel()
    {
        var plan = SplitPlanner.Plan(Stack(), DefaultPolicy.Arches);
        Assert.False(plan.NeedsSupervisor);
        Assert.All(plan.Arches.SelectMany(a => a.Entries), e => Assert.NotEqual(SplitKind.Dynamic, e.Kind));
        Assert.Equal(SplitKind.Static, plan.OtherArches.Kind);
    }

    [Theory]
    [InlineData("kexec_load", SeccompAction.Errno | 1)]
    [InlineData("init_module", SeccompAction.Errno | 1)]
    [InlineData("bpf", SeccompAction.Errno | 1)]
    [InlineData("ptrace", SeccompAction.Errno | 1)]
    [InlineData("mount", SeccompAction.Errno | 1)]
    [InlineData("reboot", SeccompAction.Errno | 1)]
    [InlineData("read", SeccompAction.Allow)]
    [InlineData("execve", SeccompAction.Allow)]
    [InlineData("openat", SeccompAction.Allow)]
    [InlineData("clone3", SeccompAction.Errno | 38)]
    public void Default_policy_verdicts_for_x86_64(string name, uint action)
    {
        var plan = SplitPlanner.Plan(Stack(), DefaultPolicy.Arches);
        Assert.True(SyscallTable.For(SyscallArch.X86_64).TryGetNumber(name, out int nr));
        var entry = plan.Arches.Single(a => a.AuditArch == AuditArch.X86_64).EntryFor((uint)nr);
        Assert.Equal(SplitKind.Static, entry.Kind);
        Assert.Equal(action, entry.Action);
    }

    [Theory]
    [InlineData("unshare")]
    [InlineData("clone")]
    [InlineData("personality")]
    public void Namespace_and_personality_checks_are_argument_tests_in_the_kernel(string name)
    {
        var plan = SplitPlanner.Plan(Stack(), DefaultPolicy.Arches);
        Assert.True(SyscallTable.For(SyscallArch.X86_64).TryGetNumber(name, out int nr));
        var entry = plan.Arches.Single(a => a.AuditArch == AuditArch.X86_64).EntryFor((uint)nr);
        Assert.Equal(SplitKind.KernelArguments, entry.Kind);
        Assert.Equal(SeccompAction.Allow, entry.Action);
    }

    [Fact]
    public void Kernel_filter_matches_the_profile_on_random_calls()
    {
        var stack = Stack();
        var plan = SplitPlanner.Plan(stack, DefaultPolicy.Arches);
        var kernel = SeccompEbpf.Classic.ClassicChecker.Check(KernelFilterBuilder.Build(plan).Value).Value;
        var profile = ((ProfileStackFilter)stack.Filters[0]).Plan;
        foreach (var data in SplitEquivalence.RandomCalls(7, 20_000, 56, 272, 135, 246, 321, 435))
        {
            var copy = data;
            Assert.Equal(profile.Evaluate(in copy), kernel.Run(in copy));
        }
    }

    [Fact]
    public void Unshare_with_a_namespace_flag_is_refused_and_without_one_allowed()
    {
        var plan = SplitPlanner.Plan(Stack(), DefaultPolicy.Arches);
        var kernel = SeccompEbpf.Classic.ClassicChecker.Check(KernelFilterBuilder.Build(plan).Value).Value;
        Assert.Equal(SeccompAction.Errno | 1, kernel.Run(SeccompData.For(272, AuditArch.X86_64, 0x10000000)));
        Assert.Equal(SeccompAction.Allow, kernel.Run(SeccompData.For(272, AuditArch.X86_64, 0x200 /* CLONE_FILES */)));
        Assert.Equal(SeccompAction.Allow, kernel.Run(SeccompData.For(135, AuditArch.X86_64, 0xffffffff)));
        Assert.Equal(SeccompAction.Errno | 1, kernel.Run(SeccompData.For(135, AuditArch.X86_64, 0x0040000)));
    }
}
