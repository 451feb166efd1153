using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Verifier;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Helpers;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Tests.ProgramType;

/// <summary>The seccomp program type's context rules, return rule, helper choice and load-time record.</summary>
public sealed class SeccompProgramTypeTests
{
    private static Instruction Ldx(MemSize size, short off) => new(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, size), 0, 1, off, 0);
    private static readonly Instruction Exit = new(Opcodes.Exit, 0, 0, 0, 0);
    private static Instruction Mov(byte dst, int imm) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), dst, 0, 0, imm);

    public static TheoryData<MemSize, short, bool> ContextLoads() => new()
    {
        { MemSize.W, 0, true }, { MemSize.W, 4, true }, { MemSize.DW, 8, true }, { MemSize.DW, 16, true }, { MemSize.DW, 56, true },
        { MemSize.DW, 0, false }, { MemSize.H, 0, false }, { MemSize.B, 4, false }, { MemSize.W, 8, false }, { MemSize.W, 12, false },
        { MemSize.DW, 12, false }, { MemSize.DW, 64, false }, { MemSize.W, 2, false }, { MemSize.B, 63, false }, { MemSize.W, -4, false },
    };

    [Theory]
    [MemberData(nameof(ContextLoads))]
    public void ContextLoadsAreExactWidthAtFieldOffsets(MemSize size, short offset, bool allowed)
    {
        var load = SeccompProgramLoader.Load([Ldx(size, offset), Mov(0, 0), Exit], LoaderPrivileges.Unprivileged);
        Assert.Equal(allowed, load.Loaded);
        if (!allowed) Assert.Equal(VerifierRule.ContextAccess, load.Verification!.Error!.Rule);
    }

    [Fact]
    public void ContextIsReadOnly()
    {
        var store = new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.W), 1, 0, 0, 0);
        var load = SeccompProgramLoader.Load([store, Mov(0, 0), Exit], LoaderPrivileges.Privileged);
        Assert.Equal(VerifierRule.ContextAccess, load.Verification!.Error!.Rule);
        Assert.Contains("read-only", load.Verification.Error.Message);
    }

    [Fact]
    public void LegacyPacketLoadsAreRejected()
    {
        var ldAbs = new Instruction(0x20, 0, 0, 0, 0);
        var load = SeccompProgramLoader.Load([new Instruction(0xbf, 6, 1, 0, 0), ldAbs, Exit], LoaderPrivileges.Privileged);
        Assert.Equal(VerifierRule.LegacyPacketLoad, load.Verification!.Error!.Rule);
    }

    [Fact]
    public void PointerInR0AtExitIsRejectedEvenForPrivilegedLoaders()
    {
        var load = SeccompProgramLoader.Load([new Instruction(0xbf, 0, 10, 0, 0), Exit], LoaderPrivileges.Privileged);
        Assert.Equal(VerifierRule.ReturnValue, load.Verification!.Error!.Rule);
    }

    [Fact]
    public void UnprivilegedGetsDumpableOnlyReaderAndNoTracingHelpers()
    {
        var set = SeccompHelperSet.ChooseFor(LoaderPrivileges.Unprivileged);
        Assert.Equal(UserMemoryReader.DumpableOnly, set.UserMemory);
        Assert.False(set.TracingHelpers);
        Assert.True(set.Helpers.ContainsKey(SeccompHelperCatalog.ProbeReadUser.Id));
        Assert.False(set.Helpers.ContainsKey(SeccompHelperCatalog.TracePrintk.Id));
        Assert.True(set.Helpers.ContainsKey(SeccompHelperCatalog.GetCurrentUidGid.Id));
    }

    [Fact]
    public void PtraceGetsFullReaderAndTracingNeedsBpfAndPerfmon()
    {
        Assert.Equal(UserMemoryReader.Full, SeccompHelperSet.ChooseFor(LoaderPrivileges.Ptrace).UserMemory);
        Assert.False(SeccompHelperSet.ChooseFor(new LoaderPrivileges(CapBpf: true)).TracingHelpers);
        Assert.False(SeccompHelperSet.ChooseFor(new LoaderPrivileges(CapPerfmon: true)).TracingHelpers);
        var tracing = SeccompHelperSet.ChooseFor(LoaderPrivileges.Tracing);
        Assert.True(tracing.TracingHelpers);
        Assert.True(tracing.Helpers.ContainsKey(SeccompHelperCatalog.ProbeReadKernel.Id));
        Assert.Equal(UserMemoryReader.DumpableOnly, tracing.UserMemory);
    }

    [Fact]
    public void LsmRefusalRemovesHelpersAndMaps()
    {
        var set = SeccompHelperSet.ChooseFor(LoaderPrivileges.Privileged with { LsmRefusesExtended = true });
        Assert.Empty(set.Helpers);
        Assert.False(set.MapAccess);
        var call = new Instruction(Opcodes.Call, 0, 0, 0, SeccompHelperCatalog.KtimeGetNs.Id);
        var load = SeccompProgramLoader.Load([call, Exit], LoaderPrivileges.LsmRefused);
        Assert.Equal(VerifierRule.UnknownHelper, load.Verification!.Error!.Rule);
    }

    [Fact]
    public void TracingHelperRejectedForUnprivilegedAcceptedForTracing()
    {
        var call = new Instruction(Opcodes.Call, 0, 0, 0, SeccompHelperCatalog.GetCurrentTask.Id);
        Assert.Equal(VerifierRule.UnknownHelper, SeccompProgramLoader.Load([call, Exit], LoaderPrivileges.Unprivileged).Verification!.Error!.Rule);
        Assert.True(SeccompProgramLoader.Load([call, Exit], LoaderPrivileges.Tracing).Loaded);
    }

    [Theory]
    [InlineData(0, false, true)]
    [InlineData(1, false, false)]
    [InlineData(2, false, false)]
    [InlineData(1, true, true)]
    [InlineData(2, true, true)]
    public void PrivOnlySysctlRequiresBpfAndPerfmon(int sysctl, bool privileged, bool loads)
    {
        var who = (privileged ? LoaderPrivileges.Tracing : LoaderPrivileges.Unprivileged) with { PrivOnlySysctl = sysctl };
        var load = SeccompProgramLoader.Load([Mov(0, 0), Exit], who);
        Assert.Equal(loads, load.Loaded);
        if (!loads) Assert.Contains("seccomp_ebpf_priv_only", load.RefusedBecause);
    }

    [Fact]
    public void LoadedProgramRecordsTheChoiceAndNamespaces()
    {
        var loader = LoaderPrivileges.Ptrace with { UserNamespace = new UserNamespaceId(4026531837), PidNamespace = new PidNamespaceId(4026531836) };
        var load = SeccompProgramLoader.Load([Mov(0, 0x7fff0000), Exit], loader);
        Assert.True(load.Loaded);
        var p = load.Program!;
        Assert.Equal(new UserNamespaceId(4026531837), p.LoadedWith.UserNamespace);
        Assert.Equal(new PidNamespaceId(4026531836), p.LoadedWith.PidNamespace);
        Assert.Equal(loader, p.LoadedWith);
        Assert.Equal(UserMemoryReader.Full, p.HelperSet.UserMemory);
        Assert.True(p.Verification.Accepted);
    }

    [Fact]
    public void UnprivilegedLimitIs4096InstructionsAndPrivilegedIsLarger()
    {
        var big = Enumerable.Repeat(Mov(0, 0), 5000).Append(Exit).ToArray();
        Assert.Equal(VerifierRule.TooManyInstructions, SeccompProgramLoader.Load(big, LoaderPrivileges.Unprivileged).Verification!.Error!.Rule);
        Assert.True(SeccompProgramLoader.Load(big, LoaderPrivileges.Tracing).Loaded);
    }

    [Fact]
    public void UninitialisedStackReadsNeedCapPerfmonAsInTheKernel()
    {
        // r0 = *(u64 *)(r10 - 8) with nothing stored there; then r0 = 0; exit.
        Instruction[] program = [new(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.DW), 0, 10, -8, 0), Mov(0, 0), Exit];
        var unprivileged = SeccompProgramLoader.Load(program, LoaderPrivileges.Unprivileged);
        Assert.False(unprivileged.Loaded);
        Assert.Equal(VerifierRule.UninitStackRead, unprivileged.Verification!.Error!.Rule);
        Assert.False(SeccompProgramLoader.Load(program, new LoaderPrivileges(CapBpf: true)).Loaded);
        Assert.True(SeccompProgramLoader.Load(program, LoaderPrivileges.Tracing).Loaded);
    }
}

