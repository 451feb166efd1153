using SeccompEbpf.Model;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Split;

/// <summary>The five example filters (examples/filters) split as their logic says.</summary>
public class ExampleFilterSplitTests
{
    private const uint X86_64 = AuditArch.X86_64;
    private static PolicyStack Load(string example) => LoadedStacks.Example(example);

    private static int Nr(string name) => SyscallTable.For(SyscallArch.X86_64).TryGetNumber(name, out int nr) ? nr : throw new ArgumentException(name);

    private static SplitPlan Plan(string example) => SplitPlanner.Plan(Load(example), LoadedStacks.Arches);

    private static ArchSplit X64(SplitPlan plan) => plan.Arches.Single(a => a.AuditArch == X86_64);

    [Fact]
    public void Close_999_notifies_close_only_because_it_reads_args0()
    {
        var plan = Plan("01_close_999");
        var arch = X64(plan);
        var close = arch.EntryFor((uint)Nr("close"));
        Assert.Equal(SplitKind.Dynamic, close.Kind);
        Assert.Contains("reads args[0]", close.Reason);
        Assert.All(arch.Entries.Where(e => e != close), e => Assert.Equal((SplitKind.Static, SeccompAction.Allow), (e.Kind, e.Action)));
        // i386 and other arches fail the arch check in the kernel.
        Assert.All(plan.Arches.Single(a => a.AuditArch == AuditArch.I386).Entries, e => Assert.Equal(SeccompAction.KillProcess, e.Action));
        Assert.Equal((SplitKind.Static, SeccompAction.KillProcess), (plan.OtherArches.Kind, plan.OtherArches.Action));
    }

    [Fact]
    public void Getpid_counter_notifies_getpid_only()
    {
        var arch = X64(Plan("02_getpid_counter"));
        var getpid = arch.EntryFor((uint)Nr("getpid"));
        Assert.Equal(SplitKind.Dynamic, getpid.Kind);
        Assert.Contains("map", getpid.Reason); // the counter in .bss; the limit in .rodata is a constant
        Assert.Single(arch.Entries, e => e.Kind == SplitKind.Dynamic);
        Assert.All(arch.Entries.Where(e => e != getpid), e => Assert.Equal(SeccompAction.Allow, e.Action));
    }

    [Fact]
    public void Policy_map_notifies_everything_because_the_map_can_change()
    {
        var plan = Plan("03_policy_map");
        Assert.All(plan.Arches.SelectMany(a => a.Entries), e => Assert.Equal(SplitKind.Dynamic, e.Kind));
        Assert.Contains("map_lookup_elem", X64(plan).EntryFor(0).Reason);
        Assert.Equal(SplitKind.Dynamic, plan.OtherArches.Kind);
    }

    [Fact]
    public void Exec_once_notifies_execve_and_leaves_others_in_the_kernel()
    {
        var arch = X64(Plan("04_exec_once"));
        Assert.Equal(SplitKind.Dynamic, arch.EntryFor((uint)Nr("execve")).Kind);
        Assert.Equal((SplitKind.Static, SeccompAction.Allow), (arch.EntryFor((uint)Nr("read")).Kind, arch.EntryFor((uint)Nr("read")).Action));
    }

    [Fact]
    public void Openat_paths_notifies_openat()
    {
        var arch = X64(Plan("05_openat_paths"));
        Assert.Equal(SplitKind.Dynamic, arch.EntryFor((uint)Nr("openat")).Kind);
        Assert.Equal(SplitKind.Static, arch.EntryFor((uint)Nr("write")).Kind);
    }

    [Theory]
    [InlineData("01_close_999")]
    [InlineData("02_getpid_counter")]
    [InlineData("03_policy_map")]
    [InlineData("04_exec_once")]
    [InlineData("05_openat_paths")]
    public void Kernel_filter_plus_supervisor_equals_the_chain(string example)
    {
        // The real seccomp helpers: with no process behind these calls probe_read_user_str fails
        // (-EINVAL) alike on both sides, which is all the property needs.
        var calls = SplitEquivalence.RandomCalls(example.GetHashCode() & 0xffff, 3000, Nr("close"), Nr("getpid"), Nr("execve"), Nr("openat"), 59);
        SplitEquivalence.Check(() => Load(example), calls);
    }

    [Fact]
    public void Stack_of_default_policy_and_getpid_counter_equals_the_chain()
    {
        string path = ExampleObjects.CompileOrSkip("02_getpid_counter");
        var calls = SplitEquivalence.RandomCalls(11, 4000, Nr("getpid"), Nr("unshare"), Nr("personality"), Nr("kexec_load"));
        SplitEquivalence.Check(() => LoadedStacks.Of(DefaultPolicySource.Instance, new EbpfObjectSource(path)), calls);
    }
}
