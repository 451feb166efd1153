using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Interpreter;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Tests.Helpers.HelperProgramRunner;

namespace SeccompEbpf.Bpf.Tests.Jit;

/// <summary>
/// map_lookup_elem on a map known at compile time: array maps are looked up inline when the key is
/// on the stack, everything else through the direct call. Each case must match the interpreter:
/// r0, errors (text, index, count) and the map's contents afterwards.
/// </summary>
public class JitMapLookupTests
{
    // Looks up the u32 written at r10-4 and, if found, adds 5 to the element; r0 = 1 if found, else 0.
    private static string AddFiveAt(string keySetup) => $"""
        {keySetup}
        lddw %r1, map[0]
        call 1
        jeq %r0, 0, missing
        mov %r1, 5
        lock add [%r0], %r1
        mov %r0, 1
        exit
        missing:
        mov %r0, 0
        exit
        """;

    private static (BpfRunResult Interpreter, BpfRunResult Jit) Compare(string assembly, ArrayMap array, params BpfMap[] more)
    {
        var program = Program(assembly, [array, .. more]);
        using var context = new BpfRunContext();
        var interpreted = BpfInterpreter.Instance.Prepare(program).Value.Run(context, default);
        var afterInterpreter = Enumerable.Range(0, (int)array.MaxEntries).Select(i => array.ValueAt((uint)i).ToArray()).ToArray();
        for (uint i = 0; i < array.MaxEntries; i++) array.ValueAt(i).Clear();
        var jitted = BpfJit.Compile(program).Value.Run(context, default);
        var afterJit = Enumerable.Range(0, (int)array.MaxEntries).Select(i => array.ValueAt((uint)i).ToArray()).ToArray();
        Assert.Equal(interpreted, jitted);
        Assert.Equal(afterInterpreter, afterJit);
        return (interpreted, jitted);
    }

    private static ArrayMap Array4() => new(new MapSpec("counts", MapType.Array, 4, 8, 4));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void AKeyOnTheStackFindsItsElement(int index)
    {
        using var array = Array4();
        var (_, jit) = Compare(AddFiveAt($"stw [%r10-4], {index}\nmov %r2, %r10\nadd %r2, -4"), array);
        Assert.Equal(1UL, jit.R0);
        Assert.Equal(5L, BitConverter.ToInt64(array.ValueAt((uint)index)));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void AnIndexPastTheEndFindsNothing(int index)
    {
        using var array = Array4();
        var (_, jit) = Compare(AddFiveAt($"stw [%r10-4], {index}\nmov %r2, %r10\nadd %r2, -4"), array);
        Assert.Equal(0UL, jit.R0);
    }

    [Fact]
    public void AKeyInADeeperFrameOfTheStackBlockIsFound()
    {
        // The lowest 4 bytes of the stack block (frame 7's bottom): the inline range check's edge.
        using var array = Array4();
        var (_, jit) = Compare(AddFiveAt("mov %r2, %r10\nadd %r2, -4096\nstw [%r2], 2"), array);
        Assert.True(jit.IsOk && jit.R0 == 1, jit.ToString());
    }

    [Fact]
    public void AKeyElsewhereGoesThroughTheGeneralLookup()
    {
        // The key lies in another map's value, not on the stack.
        using var array = Array4();
        using var keys = new ArrayMap(new MapSpec("keys", MapType.Array, 4, 4, 1));
        keys.ValueAt(0)[0] = 1;
        var (_, jit) = Compare(AddFiveAt("lddw %r2, map_value[1]+0"), array, keys);
        Assert.Equal(1UL, jit.R0);
        Assert.Equal(5L, BitConverter.ToInt64(array.ValueAt(1)));
    }

    [Theory]
    [InlineData("mov %r2, %r10\nadd %r2, -2")] // crosses the top of the stack block
    [InlineData("mov %r2, 64")]                 // not a pointer
    public void AnUnreadableKeyIsTheHelpersFault(string keySetup)
    {
        using var array = Array4();
        var (_, jit) = Compare(AddFiveAt(keySetup), array);
        Assert.False(jit.IsOk);
        Assert.Contains("map_lookup_elem", jit.Error!.Message);
    }
}
