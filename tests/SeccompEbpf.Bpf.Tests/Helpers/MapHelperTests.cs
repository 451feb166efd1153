using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Tests.Helpers.HelperProgramRunner;

namespace SeccompEbpf.Bpf.Tests.Helpers;

public class MapHelperTests
{
    // Counts calls in a hash map keyed by the u32 in r1's memory: lookup, create with NOEXIST when absent, else increment.
    private const string Counter = """
        ldxw %r6, [%r1]
        stxw [%r10-4], %r6
        lddw %r1, map[0]
        mov %r2, %r10
        add %r2, -4
        call 1
        jeq %r0, 0, create
        mov %r1, 1
        lock add [%r0], %r1
        ldxdw %r0, [%r0]
        exit
        create:
        stdw [%r10-16], 1
        lddw %r1, map[0]
        mov %r2, %r10
        add %r2, -4
        mov %r3, %r10
        add %r3, -16
        mov %r4, 1
        call 2
        exit
        """;

    [Fact]
    public void AProgramCountsInAHashMapThroughLookupUpdateAndAtomics()
    {
        using var map = new HashMap(new MapSpec("counts", MapType.Hash, 4, 8, 16));
        var program = Program(Counter, map);
        var memory = BitConverter.GetBytes(77);
        Assert.Equal(0UL, Run(program, memory: memory).R0); // created (update returned 0)
        Assert.Equal(2UL, Run(program, memory: memory).R0);
        Assert.Equal(3UL, Run(program, memory: memory).R0);
        var value = new byte[8];
        Assert.True(map.TryLookup(BitConverter.GetBytes(77), value));
        Assert.Equal(3UL, BitConverter.ToUInt64(value));
    }

    [Fact]
    public void UpdateFlagsReachTheProgramAsNegativeErrnos()
    {
        using var map = new HashMap(new MapSpec("h", MapType.Hash, 4, 8, 4));
        map.Update(BitConverter.GetBytes(0), BitConverter.GetBytes(1L));
        var result = Run("""
            stw [%r10-4], 0
            stdw [%r10-16], 5
            lddw %r1, map[0]
            mov %r2, %r10
            add %r2, -4
            mov %r3, %r10
            add %r3, -16
            mov %r4, 1
            call 2
            exit
            """, [map]);
        Assert.Equal(-LinuxErrno.EEXIST, (long)result.R0);
    }

    [Fact]
    public void MapValuePseudoLoadsAddressArrayValuesDirectly()
    {
        using var data = new ArrayMap(new MapSpec(".data", MapType.Array, 4, 16, 1));
        var result = Run("""
            lddw %r1, map_value[0]+8
            stdw [%r1], 99
            ldxdw %r0, [%r1]
            exit
            """, [data]);
        Assert.Equal(99UL, result.R0);
        Assert.Equal(99L, BitConverter.ToInt64(data.ValueAt(0)[8..]));
    }

    [Fact]
    public void AccessesPastAMapValueAreFaults()
    {
        using var data = new ArrayMap(new MapSpec(".data", MapType.Array, 4, 16, 1));
        var result = Run("""
            lddw %r1, map_value[0]+8
            ldxdw %r0, [%r1+8]
            exit
            """, [data]);
        Assert.Equal(2, result.Error!.InstructionIndex);
        Assert.Contains("map '.data' values", result.Error.Message);
    }

    [Fact]
    public void ReadOnlyGlobalDataCannotBeWritten()
    {
        using var rodata = new ArrayMap(new MapSpec(".rodata", MapType.Array, 4, 8, 1) { ReadOnlyForProgram = true });
        var result = Run("""
            lddw %r1, map_value[0]
            stdw [%r1], 1
            mov %r0, 0
            exit
            """, [rodata]);
        Assert.Contains("read-only", result.Error!.Message);
    }

    [Fact]
    public void AHelperGivenABadPointerStopsTheRunNamingTheHelperAndArgument()
    {
        using var map = new HashMap(new MapSpec("h", MapType.Hash, 4, 8, 4));
        var result = Run("""
            lddw %r1, map[0]
            mov %r2, 64
            call 1
            exit
            """, [map]);
        Assert.Equal(3, result.Error!.InstructionIndex);
        Assert.Contains("map_lookup_elem", result.Error.Message);
        Assert.Contains("key (r2)", result.Error.Message);
    }

    [Fact]
    public void AScalarIsNotAMapHandle()
    {
        var result = Run("""
            mov %r1, 5
            mov %r2, %r10
            add %r2, -8
            call 1
            exit
            """, []);
        Assert.Contains("not a map handle", result.Error!.Message);
    }

    [Fact]
    public void QueuePushAndPopFromAProgram()
    {
        using var queue = new QueueStackMap(new MapSpec("q", MapType.Queue, 0, 8, 4));
        queue.Push(BitConverter.GetBytes(41L), 0);
        var result = Run("""
            lddw %r1, map[0]
            mov %r2, %r10
            add %r2, -8
            call 88
            ldxdw %r0, [%r10-8]
            add %r0, 1
            exit
            """, [queue]);
        Assert.Equal(42UL, result.R0);
        Assert.Equal(0, queue.Count);
    }
}
