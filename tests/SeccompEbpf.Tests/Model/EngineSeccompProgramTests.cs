using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;

namespace SeccompEbpf.Tests.Model;

public class EngineSeccompProgramTests
{
    private static EngineSeccompProgram Prepare(string name, Instruction[] instructions) =>
        new(BpfEngines.Prepare(new BpfProgram(name, instructions)).Value, UserNamespaceId.Initial);

    [Fact]
    public void EbpfFilterFromTheEngineRunsInTheChainNextToClassicFilters()
    {
        var classic = ClassicAssembler.Assemble("ld [0]\njeq #41, 0, 1\nret #0x5000d\nret #0x7fff0000").Value;
        var translated = ClassicToEbpfTranslator.Translate(ClassicChecker.Check(classic).Value).Instructions;
        var thread = new SeccompSystem(KernelFlavor.Proposal).Spawn(SeccompCredentials.Unprivileged);
        thread.SetNoNewPrivs();
        Assert.True(SeccompAttach.AttachClassic(thread, [ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.Log)], 0).IsSuccess);
        var handle = new SeccompProgramHandle(Prepare("deny-socket", translated));
        Assert.True(SeccompAttach.AttachExtended(thread, handle, SeccompFilterFlags.Extended).IsSuccess);

        var socket = thread.Evaluate(SeccompData.For(41, AuditArch.X86_64));
        Assert.Equal(SeccompAction.Errno | 13, socket.Action.Value);
        Assert.Equal("deny-socket", socket.DecidedBy!.Filter.Name);
        Assert.Equal(SeccompAction.Log, thread.Evaluate(SeccompData.For(0, AuditArch.X86_64)).Action.Value);
        Assert.Equal(translated.Length, thread.Chain!.Filter.LengthForLimit);
    }

    [Fact]
    public void RunTimeFaultFailsClosed()
    {
        // r0 = *(u32 *)(r1 + 64): past the end of seccomp_data. Unverified, so the engine faults at run time.
        Instruction[] program =
        [
            new(0x61, 0, 1, 64, 0),
            new(Opcodes.Exit, 0, 0, 0, 0),
        ];
        var prepared = Prepare("out-of-bounds", program);
        var thread = new SeccompSystem(KernelFlavor.Proposal).Spawn(SeccompCredentials.Root);
        Assert.Equal(SeccompAction.KillProcess, prepared.Run(SeccompData.For(1, AuditArch.X86_64), thread));
        Assert.NotNull(prepared.LastFault);
    }
}
