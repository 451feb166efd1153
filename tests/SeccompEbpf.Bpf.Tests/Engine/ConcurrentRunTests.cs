using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Engine;

/// <summary>One prepared program, many threads, each with its own run context, sharing maps (the supervisor's situation).</summary>
public class ConcurrentRunTests
{
    [Fact]
    public void AtomicCountersInASharedMapAreExactAcrossThreads()
    {
        using var array = new ArrayMap(new MapSpec("counter", MapType.Array, 4, 8, 1));
        using var hash = new HashMap(new MapSpec("per_key", MapType.Hash, 4, 8, 64));
        // Adds 1 to the array counter atomically, and writes r1's key into the hash map with BPF_ANY.
        var code = Assembler.Assemble("""
            mov %r6, %r1
            lddw %r1, map_value[0]
            mov %r2, 1
            lock add [%r1], %r2
            stxw [%r10-4], %r6
            stxdw [%r10-16], %r6
            lddw %r1, map[1]
            mov %r2, %r10
            add %r2, -4
            mov %r3, %r10
            add %r3, -16
            mov %r4, 0
            call 2
            exit
            """, "concurrent.s", AsmSyntax.Conformance).Value;
        var executable = BpfEngines.Prepare(new BpfProgram("concurrent", code, [array, hash]), EngineKind.Interpreter).Value;

        const int threads = 4, runsPerThread = 5000;
        var failures = new int[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            using var context = new BpfRunContext();
            for (int i = 0; i < runsPerThread; i++)
            {
                var result = executable.Run(context, new BpfRunArgs { R1 = (ulong)(i % 32) });
                if (!result.IsOk || result.R0 != 0) failures[t]++;
            }
        });

        Assert.All(failures, f => Assert.Equal(0, f));
        Assert.Equal((long)threads * runsPerThread, BitConverter.ToInt64(array.ValueAt(0)));
        Assert.Equal(32, hash.Count);
    }
}
