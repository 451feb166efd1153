using System.Diagnostics;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Interpreter;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Jit;

/// <summary>
/// Random valid programs must behave identically in the interpreter and the JIT: same r0, same
/// error (message and instruction index), same instruction count, same stack and map memory
/// afterwards. Each program is distinct and validated on its own; to keep compile cost down the
/// JIT compiles them in batches, placed one after another in one method and entered at each
/// program's first instruction (<see cref="JitOptions.AdditionalEntryPoints"/>). Fixed seed in CI;
/// set BPF_JIT_DIFFERENTIAL_PROGRAMS (and BPF_JIT_DIFFERENTIAL_SEED) to run more by hand.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const int DefaultPrograms = 100_000;
    private const int BatchSize = 50;

    [Fact]
    public void RandomProgramsBehaveIdenticallyInInterpreterAndJit()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("BPF_JIT_DIFFERENTIAL_PROGRAMS"), out var n) ? n : DefaultPrograms;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("BPF_JIT_DIFFERENTIAL_SEED"), out var s) ? s : 20261128;
        // Batch b is generated from (seed, b) alone, so results do not depend on how batches are spread over threads.
        int batches = (count + BatchSize - 1) / BatchSize;
        int workers = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var runs = Enumerable.Range(0, workers).Select(_ => new DifferentialRun(seed)).ToArray();
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<(int Batch, string Text)>();
        int next = -1;
        var total = Stopwatch.StartNew();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches && mismatches.IsEmpty)
                if (runs[w].CompareBatch(b, b * BatchSize, Math.Min(BatchSize, count - b * BatchSize)) is { } mismatch)
                    mismatches.Add((b, mismatch));
        });
        int compared = runs.Sum(r => r.Compared), faulted = runs.Sum(r => r.Faulted);
        output.WriteLine($"{compared} random programs (seed {seed}, {runs.Sum(r => r.Slots) / Math.Max(1, compared)} slots on average, {workers} threads) compared in {total.Elapsed.TotalSeconds:F1} s: " +
            $"{faulted} ended in a fault; JIT compile {runs.Sum(r => r.JitCompile.Elapsed.TotalSeconds):F1} s, JIT runs (incl. native code generation) {runs.Sum(r => r.JitRun.Elapsed.TotalSeconds):F1} s, " +
            $"interpreter {runs.Sum(r => r.Interpreter.Elapsed.TotalSeconds):F1} s (thread time summed)");
        foreach (var r in runs) r.Dispose();
        Assert.True(mismatches.IsEmpty, mismatches.OrderBy(m => m.Batch).FirstOrDefault().Text);
        Assert.Equal(count, compared);
        // The generator must exercise both faults and successes, or the test checks less than it claims.
        Assert.InRange(faulted, 1, count - 1);
    }

    private sealed unsafe class DifferentialRun(int seed) : IDisposable
    {
        private RandomProgramGenerator _generator = null!;
        private readonly ArrayMap _map = (ArrayMap)MapFactory.Create(new MapSpec("counters", MapType.Array, 4, 8, RandomProgramGenerator.MapEntries)).Value;
        private readonly BpfRunContext _context = new();
        private readonly byte[] _zero = new byte[8];

        public int Compared, Faulted;
        public long Slots;
        public readonly Stopwatch JitCompile = new(), JitRun = new(), Interpreter = new();

        /// <summary>Compares <paramref name="size"/> new programs of batch <paramref name="batch"/>; returns a description of the first difference, or null.</summary>
        public string? CompareBatch(int batch, int firstIndex, int size)
        {
            _generator = new RandomProgramGenerator(new Random(unchecked(seed * 1_000_003 + batch)));
            var programs = new Instruction[size][];
            var starts = new int[size];
            int at = 0;
            for (int k = 0; k < size; k++)
            {
                programs[k] = _generator.Next();
                starts[k] = at;
                at += programs[k].Length;
                Slots += programs[k].Length;
            }
            JitCompile.Start();
            var compiled = BpfJit.Compile(new BpfProgram("batch", programs.SelectMany(p => p).ToArray(), [_map]),
                new JitOptions { AdditionalEntryPoints = starts });
            JitCompile.Stop();
            if (!compiled.IsOk) return $"the JIT refused batch {batch}: {compiled.Error}";

            for (int k = 0; k < size; k++)
            {
                int index = firstIndex + k;
                var code = programs[k];
                Interpreter.Start();
                var interpreted = BpfInterpreter.Instance.Prepare(new BpfProgram($"random{index}", code, [_map]));
                Interpreter.Stop();
                if (!interpreted.IsOk) return $"program {index} (seed {seed}) is not valid: {interpreted.Error}\n{Listing(code)}";

                var args = new BpfRunArgs
                {
                    R1 = _generator.NextArgument(), R2 = _generator.NextArgument(), R3 = _generator.NextArgument(),
                    R4 = _generator.NextArgument(), R5 = _generator.NextArgument(),
                };
                Interpreter.Start();
                var a = RunOnce(c => interpreted.Value.Run(c, args), index);
                Interpreter.Stop();
                JitRun.Start();
                var b = RunOnce(c => compiled.Value.RunFrom(c, args, starts[k]), index);
                JitRun.Stop();
                // Errors from the batch name instructions of the batch: shift them back.
                var jitResult = b.Result.Error is { InstructionIndex: >= 0 } e
                    ? b.Result with { Error = e with { InstructionIndex = e.InstructionIndex - starts[k] } }
                    : b.Result;

                if (!a.Result.IsOk) Faulted++;
                if (a.Result != jitResult || !a.Stack.AsSpan().SequenceEqual(b.Stack) || !a.Map.AsSpan().SequenceEqual(b.Map))
                    return $"program {index} (seed {seed}) differs:\n  interpreter: {a.Result}\n  jit:         {jitResult}\n" +
                        $"  stack equal: {a.Stack.AsSpan().SequenceEqual(b.Stack)}, map equal: {a.Map.AsSpan().SequenceEqual(b.Map)}\n" +
                        $"  args: {args.R1:x} {args.R2:x} {args.R3:x} {args.R4:x} {args.R5:x}\n{Listing(code)}";
                Compared++;
            }
            return null;
        }

        private sealed record Snapshot(BpfRunResult Result, byte[] Stack, byte[] Map);

        /// <summary>Runs with the map zeroed, a fixed random seed and clock, then copies the whole stack and the map values.</summary>
        private Snapshot RunOnce(Func<BpfRunContext, BpfRunResult> run, int index)
        {
            for (uint key = 0; key < RandomProgramGenerator.MapEntries; key++) _map.Update(BitConverter.GetBytes(key), _zero);
            _context.RandomSeed = (ulong)index + 1;
            ulong clock = 1_000_000;
            _context.MonotonicNanoseconds = () => clock += 1000;
            var result = run(_context);
            var stack = new Span<byte>((void*)_context.StackBase, BpfRunContext.StackFrameSize * BpfRunContext.MaxCallDepth).ToArray();
            var values = new Span<byte>((void*)_map.DirectValueAddress, (int)(_map.ValueSlotSize * _map.MaxEntries)).ToArray();
            return new(result, stack, values);
        }

        public void Dispose()
        {
            _map.Dispose();
            _context.Dispose();
        }
    }

    private static string Listing(Instruction[] code) =>
        string.Join("\n", code.Select((insn, i) => $"  {i,3}: {insn}"));
}
