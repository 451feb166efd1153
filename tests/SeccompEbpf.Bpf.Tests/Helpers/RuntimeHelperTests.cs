using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Tests.Helpers.HelperProgramRunner;

namespace SeccompEbpf.Bpf.Tests.Helpers;

public class RuntimeHelperTests
{
    private sealed class Process(ulong key) : IProcessEnvironment
    {
        public ulong CurrentProcessKey => key;
    }

    [Theory]
    [InlineData("%d|%i|%u", -1L, -2L, 3L, "-1|-2|3")]
    [InlineData("%ld %lld %lu", -1L, -2L, -1L, "-1 -2 18446744073709551615")]
    [InlineData("%x %X %llx", 255L, 255L, -1L, "ff FF ffffffffffffffff")]
    [InlineData("100%% %c", 65L, 0L, 0L, "100% A")]
    public void TraceFormatterFollowsTheKernelConversions(string format, long a, long b, long c, string expected)
    {
        using var context = new BpfRunContext();
        var text = TraceFormatter.Format(context, System.Text.Encoding.ASCII.GetBytes(format), [(ulong)a, (ulong)b, (ulong)c], out var error);
        Assert.Null(error);
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("%d %d %d %d", "more than 3")]
    [InlineData("%q", "unsupported conversion")]
    [InlineData("50%", "lone %")]
    public void TraceFormatterRejectsMalformedFormats(string format, string message)
    {
        using var context = new BpfRunContext();
        Assert.Null(TraceFormatter.Format(context, System.Text.Encoding.ASCII.GetBytes(format), [1, 2, 3], out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void TracePrintkPrintsSignedUnsignedHexAndStrings()
    {
        var context = new BpfRunContext();
        // Format "%d %x %s" (little-endian words), string "ok" at r10-24.
        var result = Run("""
            lddw %r1, 0x7325207825206425
            stxdw [%r10-16], %r1
            stdw [%r10-8], 0
            stdw [%r10-24], 0x6b6f
            mov %r1, %r10
            add %r1, -16
            mov %r2, 16
            mov %r3, -5
            mov %r4, 255
            mov %r5, %r10
            add %r5, -24
            call 6
            exit
            """, [], context);
        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(["-5 ff ok"], context.TraceLog.Lines);
        Assert.Equal(8UL, result.R0);
    }

    [Fact]
    public void RandomNumbersFollowTheContextSeed()
    {
        const string program = "call 7\nexit";
        ulong a = Run(program, [], new BpfRunContext { RandomSeed = 42 }).R0;
        ulong b = Run(program, [], new BpfRunContext { RandomSeed = 42 }).R0;
        ulong c = Run(program, [], new BpfRunContext { RandomSeed = 43 }).R0;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.True(a <= uint.MaxValue);
    }

    [Fact]
    public void KtimeComesFromTheContextClock()
    {
        var context = new BpfRunContext { MonotonicNanoseconds = () => 123456789 };
        Assert.Equal(123456789UL, Run("call 5\nexit", [], context).R0);
        Assert.Equal(123456789UL, Run("call 125\nexit", [], context).R0);
    }

    [Fact]
    public void TailCallsJumpToTheInstalledProgramAndFallThroughWhenEmpty()
    {
        using var programs = new ProgramArrayMap(new MapSpec("jmp", MapType.ProgArray, 4, 4, 4));
        var target = Program("mov %r0, 7\nexit");
        Assert.Null(programs.Set(2, target));
        const string caller = """
            mov %r6, %r1
            lddw %r2, map[0]
            mov %r3, 2
            call 12
            mov %r0, 1
            exit
            """;
        Assert.Equal(7UL, Run(caller, [programs]).R0);
        programs.Set(2, null);
        Assert.Equal(1UL, Run(caller, [programs]).R0);
    }

    [Fact]
    public void TailCallChainsStopAfterThirtyThree()
    {
        using var programs = new ProgramArrayMap(new MapSpec("jmp", MapType.ProgArray, 4, 4, 1));
        // The program tail-calls itself; when the limit is reached the call falls through and r0 = 5.
        var self = Program("""
            lddw %r2, map[0]
            mov %r3, 0
            call 12
            mov %r0, 5
            exit
            """, programs);
        programs.Set(0, self);
        var result = Run(self);
        Assert.Equal(5UL, result.R0);
        // 1 initial run + 33 tail calls, 3 instructions each (lddw counts once), then mov and exit.
        Assert.Equal(34 * 3 + 2, result.InstructionsExecuted);
    }

    [Fact]
    public void ProgramArraysRefuseProgramsThatFailValidation()
    {
        using var programs = new ProgramArrayMap(new MapSpec("jmp", MapType.ProgArray, 4, 4, 1));
        var broken = new BpfProgram("broken", [new SeccompEbpf.Bpf.Isa.Instruction(0xb7, 0, 0, 0, 1)]);
        Assert.Contains("cannot be a tail-call target", programs.Set(0, broken)!.Message);
    }

    [Fact]
    public void RingBufferReserveSubmitFromAProgramReachesTheConsumer()
    {
        using var ring = new RingBufferMap(new MapSpec("events", MapType.RingBuf, 0, 0, 4096));
        var result = Run("""
            lddw %r1, map[0]
            mov %r2, 8
            mov %r3, 0
            call 131
            jeq %r0, 0, out
            stdw [%r0], 0x1234
            mov %r1, %r0
            mov %r2, 0
            call 132
            out:
            mov %r0, 0
            exit
            """, [ring]);
        Assert.True(result.IsOk, result.Error?.ToString());
        var records = ring.Drain();
        Assert.Single(records);
        Assert.Equal(0x1234L, BitConverter.ToInt64(records[0]));
    }

    [Fact]
    public void RingBufferOutputCopiesFromTheStack()
    {
        using var ring = new RingBufferMap(new MapSpec("events", MapType.RingBuf, 0, 0, 4096));
        var result = Run("""
            stdw [%r10-8], 77
            lddw %r1, map[0]
            mov %r2, %r10
            add %r2, -8
            mov %r3, 8
            mov %r4, 0
            call 130
            exit
            """, [ring]);
        Assert.Equal(0UL, result.R0);
        Assert.Equal(77L, BitConverter.ToInt64(ring.Drain().Single()));
    }

    [Fact]
    public void AReservationTheProgramForgetsIsDiscardedAtTheEndOfTheRun()
    {
        using var ring = new RingBufferMap(new MapSpec("events", MapType.RingBuf, 0, 0, 4096));
        const string leaky = """
            lddw %r1, map[0]
            mov %r2, 8
            mov %r3, 0
            call 131
            mov %r0, 0
            exit
            """;
        Run(leaky, [ring]);
        Assert.True(ring.Output(BitConverter.GetBytes(5L)) == 0);
        // The forgotten record does not block the one submitted after it.
        Assert.Equal(5L, BitConverter.ToInt64(ring.Drain().Single()));
    }

    [Fact]
    public void SubmittingSomethingThatIsNotAReservationStopsTheRun()
    {
        using var ring = new RingBufferMap(new MapSpec("events", MapType.RingBuf, 0, 0, 4096));
        var result = Run("""
            mov %r1, %r10
            mov %r2, 0
            call 132
            exit
            """, [ring]);
        Assert.Contains("ringbuf_submit", result.Error!.Message);
    }

    [Fact]
    public void TaskStorageGivesEachProcessItsOwnValue()
    {
        using var storage = new ProcessStorageMap(new MapSpec("per_process", MapType.TaskStorage, 4, 8, 0));
        const string program = """
            lddw %r1, map[0]
            mov %r2, 0
            mov %r3, 0
            mov %r4, 1
            call 156
            jeq %r0, 0, fail
            mov %r1, 1
            lock add [%r0], %r1
            ldxdw %r0, [%r0]
            exit
            fail:
            mov %r0, -1
            exit
            """;
        var p1 = new BpfRunContext { Environment = new Process(1) };
        var p2 = new BpfRunContext { Environment = new Process(2) };
        Assert.Equal(1UL, Run(program, [storage], p1).R0);
        Assert.Equal(2UL, Run(program, [storage], p1).R0);
        Assert.Equal(1UL, Run(program, [storage], p2).R0);
        // Without a process environment there is no current task: NULL.
        Assert.Equal(ulong.MaxValue, Run(program, [storage]).R0);
    }

    [Fact]
    public void ForEachMapElemVisitsEveryElementThroughACallback()
    {
        using var array = new ArrayMap(new MapSpec("a", MapType.Array, 4, 8, 4));
        for (uint i = 0; i < 4; i++) array.Update(BitConverter.GetBytes(i), BitConverter.GetBytes((long)(i + 1) * 10));
        // Sums the values into a stack slot given as callback context.
        var result = Run("""
            stdw [%r10-8], 0
            lddw %r1, map[0]
            lddw %r2, func[sum]
            mov %r3, %r10
            add %r3, -8
            mov %r4, 0
            call 164
            ldxdw %r1, [%r10-8]
            mul %r0, 1000
            add %r0, %r1
            exit
            sum:
            ldxdw %r1, [%r3]
            ldxdw %r5, [%r4]
            add %r1, %r5
            stxdw [%r4], %r1
            mov %r0, 0
            exit
            """, [array]);
        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(4UL * 1000 + 100, result.R0);
    }

    [Fact]
    public void LoopHelperRunsTheCallbackUntilItAsksToStop()
    {
        var result = Run("""
            stdw [%r10-8], 0
            mov %r1, 100
            lddw %r2, func[body]
            mov %r3, %r10
            add %r3, -8
            mov %r4, 0
            call 181
            ldxdw %r1, [%r10-8]
            mul %r0, 1000
            add %r0, %r1
            exit
            body:
            ldxdw %r3, [%r2]
            add %r3, %r1
            stxdw [%r2], %r3
            mov %r0, 0
            jne %r1, 9, cont
            mov %r0, 1
            cont:
            exit
            """, []);
        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(10UL * 1000 + 45, result.R0);
    }
}
