using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using SeccompEbpf.Split;

namespace SeccompEbpf.Tests.Split;

/// <summary>The eBPF and classic partial evaluators on small hand-written programs (no compiler needed).</summary>
public class PartialEvaluatorTests
{
    private const uint Allow = SeccompAction.Allow, Eperm = SeccompAction.Errno | 1;

    private static BpfProgram Program(string asm, IReadOnlyList<MapSpec>? maps = null)
    {
        var code = Assembler.Assemble(asm, "test.s");
        Assert.True(code.IsOk, code.Error?.ToString());
        return BpfProgram.Create("test", code.Value, maps ?? []).Value;
    }

    private static FilterOutcome Run(BpfProgram p, uint nr, uint arch = AuditArch.X86_64) =>
        EbpfPartialEvaluator.Evaluate(p, AbstractValueRange.Exactly(arch), AbstractValueRange.Exactly(nr));

    private const string DenyGetpidOnArg = """
        r2 = *(u32 *)(r1 + 0)
        if r2 != 39 goto allow
        r3 = *(u64 *)(r1 + 24)
        if r3 == 1 goto deny
        allow:
        r0 = 0x7fff0000
        exit
        deny:
        r0 = 0x50001
        exit
        """;

    [Fact]
    public void Reading_an_argument_is_dynamic_only_where_the_path_reaches_it()
    {
        var p = Program(DenyGetpidOnArg);
        var getpid = Assert.IsType<DynamicOutcome>(Run(p, 39));
        Assert.Equal("reads args[1] at insn 2", getpid.Reason);
        Assert.Equal(new ConstantOutcome(Allow), Run(p, 40));
    }

    [Fact]
    public void A_range_of_numbers_no_constant_splits_is_decided_as_one()
    {
        var p = Program(DenyGetpidOnArg);
        Assert.Equal(new ConstantOutcome(Allow), EbpfPartialEvaluator.Evaluate(p, AbstractValueRange.Exactly(AuditArch.X86_64), new AbstractValueRange(40, 1000)));
        Assert.IsType<DynamicOutcome>(EbpfPartialEvaluator.Evaluate(p, AbstractValueRange.Exactly(AuditArch.X86_64), new AbstractValueRange(0, 1000)));
    }

    [Fact]
    public void Verdict_through_stack_spill_and_constant_loop_is_static()
    {
        var p = Program("""
            r2 = *(u32 *)(r1 + 0)
            *(u32 *)(r10 - 4) = r2
            r3 = 0
            r4 = 5
            loop:
            r3 += 1
            if r3 < r4 goto loop
            r2 = *(u32 *)(r10 - 4)
            if r2 == 101 goto deny
            r0 = 0x7fff0000
            exit
            deny:
            r0 = 0x50001
            exit
            """);
        Assert.Equal(new ConstantOutcome(Eperm), Run(p, 101));
        Assert.Equal(new ConstantOutcome(Allow), Run(p, 102));
    }

    [Fact]
    public void Helper_calls_and_writable_maps_are_dynamic_and_frozen_rodata_is_a_constant()
    {
        var helper = Program("""
            call 7
            r0 = 0x7fff0000
            exit
            """);
        Assert.Equal("calls helper get_prandom_u32 at insn 0", Assert.IsType<DynamicOutcome>(Run(helper, 1)).Reason);

        const string readGlobal = """
            r2 = map_value[0]+0 ll
            r0 = *(u32 *)(r2 + 0)
            exit
            """;
        var rodata = new MapSpec(".rodata", MapType.Array, 4, 4, 1) { InitialValue = BitConverter.GetBytes(Eperm), ReadOnlyForProgram = true };
        var data = rodata with { Name = ".data", ReadOnlyForProgram = false };
        Assert.Equal(new ConstantOutcome(Eperm), Run(Program(readGlobal, [rodata]), 1));
        Assert.Contains("reads map .data", Assert.IsType<DynamicOutcome>(Run(Program(readGlobal, [data]), 1)).Reason);
    }

    [Fact]
    public void Classic_filter_is_constant_per_syscall_until_it_reads_arguments()
    {
        var code = ClassicAssembler.Assemble("""
            ld [0]
            jeq #59, args, allow
            ret #0x7fff0000
            args:
            ld [16]
            jeq #0, deny, allow
            deny:
            ret #0x50001
            allow:
            ret #0x7fff0000
            """);
        Assert.True(code.IsOk, code.Error?.ToString());
        var program = SeccompEbpf.Classic.ClassicChecker.Check(code.Value).Value;
        Assert.Equal(new ConstantOutcome(Allow), ClassicPartialEvaluator.Evaluate(program, AbstractValueRange.Exactly(AuditArch.X86_64), AbstractValueRange.Exactly(60)));
        Assert.Contains("reads args[0]", Assert.IsType<DynamicOutcome>(
            ClassicPartialEvaluator.Evaluate(program, AbstractValueRange.Exactly(AuditArch.X86_64), AbstractValueRange.Exactly(59))).Reason);
    }

    [Fact]
    public void Stack_of_classic_and_ebpf_filters_splits_into_an_equivalent_kernel_filter_and_supervisor()
    {
        var classic = SeccompEbpf.Classic.ClassicChecker.Check(ClassicAssembler.Assemble("""
            ld [0]
            jeq #59, args, other
            other:
            jeq #60, kill, allow
            args:
            ld [16]
            jeq #0, deny, allow
            deny:
            ret #0x50001
            kill:
            ret #0x80000000
            allow:
            ret #0x7fff0000
            """).Value).Value;
        var calls = SplitEquivalence.RandomCalls(5, 5000, 39, 59, 60, 61);
        SplitEquivalence.Check(() => new PolicyStack([new ClassicStackFilter("classic", classic), new EbpfStackFilter("ebpf", Program(DenyGetpidOnArg))]), calls);
        var plan = SplitPlanner.Plan(new PolicyStack([new ClassicStackFilter("classic", classic), new EbpfStackFilter("ebpf", Program(DenyGetpidOnArg))]),
            [Syscalls.SyscallArch.X86_64]);
        var x64 = plan.Arches[0];
        Assert.Equal(SplitKind.Dynamic, x64.EntryFor(39).Kind);
        Assert.Equal(SplitKind.Dynamic, x64.EntryFor(59).Kind);
        Assert.Equal((SplitKind.Static, SeccompAction.KillProcess), (x64.EntryFor(60).Kind, x64.EntryFor(60).Action));
        Assert.Equal((SplitKind.Static, Allow), (x64.EntryFor(61).Kind, x64.EntryFor(61).Action));
    }
}
