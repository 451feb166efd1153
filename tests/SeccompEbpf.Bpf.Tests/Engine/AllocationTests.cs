using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Engine;

/// <summary>The hot path claim: running a prepared program (helpers and maps included) allocates nothing.</summary>
public class AllocationTests
{
    [Fact]
    public void RunningAMapHeavyProgramAllocatesNothing()
    {
        using var map = new HashMap(new MapSpec("counts", MapType.Hash, 4, 8, 16));
        map.Update(BitConverter.GetBytes(1), BitConverter.GetBytes(0L));
        var code = Assembler.Assemble("""
            stw [%r10-4], 1
            lddw %r1, map[0]
            mov %r2, %r10
            add %r2, -4
            call 1
            jeq %r0, 0, out
            mov %r1, 1
            lock add [%r0], %r1
            call 5
            call 7
            out:
            mov %r0, 0
            exit
            """, "alloc.s", AsmSyntax.Conformance).Value;
        var executable = BpfEngines.Prepare(new BpfProgram("alloc", code, [map]), EngineKind.Interpreter).Value;
        using var context = new BpfRunContext();
        for (int i = 0; i < 100; i++) executable.Run(context, default); // warm up (tiering, statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) executable.Run(context, default);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        var value = new byte[8];
        map.TryLookup(BitConverter.GetBytes(1), value);
        Assert.Equal(1100L, BitConverter.ToInt64(value));
    }
}
