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
/// program's first instruction (<see cref="JitOptions.AdditionalEntryPoints"/>); programs that call
/// nothing (the JIT's fast path) and the others go to separate batches. Every program is compared
/// fully checked, and those the interpreter completes also as compiled for a verified program. Fixed seed in CI;
/// set BPF_JIT_DIFFERENTIAL_PROGRAMS (and BPF_JIT_DIFFERENTIAL_SEED) to run more by hand.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const int DefaultPrograms = 100_000;
    private const int BatchSize = 50;
    private const int SplitEvery = 4, VerifiedEvery = 8;

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
        int alone = runs.Sum(r => r.RanAlone), bound = runs.Sum(r => r.RanBound), verified = runs.Sum(r => r.RanVerified);
        output.WriteLine($"{compared} random programs (seed {seed}, {runs.Sum(r => r.Slots) / Math.Max(1, compared)} slots on average, {workers} threads) compared in {total.Elapsed.TotalSeconds:F1} s: " +
            $"{faulted} ended in a fault; JIT runs on the fast path (calls nothing) {alone}, bound {bound} (all checked, and {verified} of those that completed as verified); JIT compile {runs.Sum(r => r.JitCompile.Elapsed.TotalSeconds):F1} s, JIT runs (incl. native code generation) {runs.Sum(r => r.JitRun.Elapsed.TotalSeconds):F1} s, " +
            $"interpreter {runs.Sum(r => r.Interpreter.Elapsed.TotalSeconds):F1} s (thread time summed)");
        foreach (var r in runs) r.Dispose();
        Assert.True(mismatches.IsEmpty, mismatches.OrderBy(m => m.Batch).FirstOrDefault().Text);
        Assert.Equal(count, compared);
        // The generator must exercise both faults and successes, or the test checks less than it claims.
        Assert.InRange(faulted, 1, count - 1);
        // Both JIT paths (a program that calls nothing runs alone; the others bound) must be exercised.
        Assert.InRange(alone, count / (10 * SplitEvery), 2 * count);
        Assert.InRange(bound, count / 10, 2 * count);
        Assert.Equal(count + verified, alone + bound);
        Assert.InRange(verified, count / (2 * VerifiedEvery), count / VerifiedEvery + BatchSize);
    }

    private sealed unsafe class DifferentialRun(int seed) : IDisposable
    {
        private RandomProgramGenerator _generator = null!;
        private readonly ArrayMap _map = (ArrayMap)MapFactory.Create(new MapSpec("counters", MapType.Array, 4, 8, RandomProgramGenerator.MapEntries)).Value;
        private readonly BpfRunContext _context = new();
        private readonly byte[] _zero = new byte[8];

        public int Compared, Faulted, RanAlone, RanBound, RanVerified;
        public long Slots;
        public readonly Stopwatch JitCompile = new(), JitRun = new(), Interpreter = new();

        /// <summary>Compares <paramref name="size"/> new programs of batch <paramref name="batch"/>; returns a description of the first difference, or null.</summary>
        public string? CompareBatch(int batch, int firstIndex, int size)
        {
            _generator = new RandomProgramGenerator(new Random(unchecked(seed * 1_000_003 + batch)));
            var programs = new Instruction[size][];
            var args = new BpfRunArgs[size];
            for (int k = 0; k < size; k++)
            {
                programs[k] = _generator.Next();
                args[k] = new BpfRunArgs
                {
                    R1 = _generator.NextArgument(), R2 = _generator.NextArgument(), R3 = _generator.NextArgument(),
                    R4 = _generator.NextArgument(), R5 = _generator.NextArgument(),
                };
                Slots += programs[k].Length;
            }

            var expected = new Snapshot[size];
            for (int k = 0; k < size; k++)
            {
                int index = firstIndex + k;
                Interpreter.Start();
                var interpreted = BpfInterpreter.Instance.Prepare(new BpfProgram($"random{index}", programs[k], [_map]));
                Interpreter.Stop();
                if (!interpreted.IsOk) return $"program {index} (seed {seed}) is not valid: {interpreted.Error}\n{Listing(programs[k])}";
                var runArgs = args[k];
                Interpreter.Start();
                expected[k] = RunOnce(c => interpreted.Value.Run(c, runArgs), index, clearFrameFirst: false);
                Interpreter.Stop();
                if (!expected[k].Result.IsOk) Faulted++;
            }

            // Fully checked, as any program runs. A batch almost always contains a call, so it runs bound;
            // every SplitEvery-th batch is split so that the programs that call nothing take the JIT's
            // fast path (JitCode.RunsAlone). (Batches keep compile cost down; splitting all would double it.)
            var all = Enumerable.Range(0, size).ToArray();
            foreach (var group in all.GroupBy(k => batch % SplitEvery == 0 && CallsAnything(programs[k])))
                if (CompareGroup(group.ToArray(), programs, args, expected, firstIndex, JitOptions.Default, "checked") is { } mismatch)
                    return mismatch;

            // As compiled for a verified program (no access checks, no budget, no frame clearing), for
            // the programs whose run the interpreter completed: with the same inputs they take the same
            // path, so every access they make is valid and they terminate, as a verifier would prove.
            // Every VerifiedEvery-th batch, to keep the test's compile time modest.
            var completed = batch % VerifiedEvery == 0 ? all.Where(k => expected[k].Result.IsOk).ToArray() : [];
            foreach (var group in completed.GroupBy(k => CallsAnything(programs[k])))
            {
                var proven = new HashSet<int>();
                int at = 0;
                foreach (int k in group)
                {
                    foreach (int i in JitOptions.MemoryAccesses(programs[k])) proven.Add(at + i);
                    at += programs[k].Length;
                }
                var options = new JitOptions { ProvenSafeAccesses = proven, EnforceInstructionBudget = false, StackReadsProvenInitialized = true };
                if (CompareGroup(group.ToArray(), programs, args, expected, firstIndex, options, "as verified") is { } mismatch)
                    return mismatch;
            }
            Compared += size;
            return null;
        }

        /// <summary>Compiles the programs <paramref name="members"/> one after another as one method and compares each run with the interpreter's.</summary>
        private string? CompareGroup(int[] members, Instruction[][] programs, BpfRunArgs[] args, Snapshot[] expected, int firstIndex, JitOptions options, string mode)
        {
            var starts = new int[members.Length];
            int at = 0;
            for (int m = 0; m < members.Length; m++)
            {
                starts[m] = at;
                at += programs[members[m]].Length;
            }
            bool verified = !options.EnforceInstructionBudget;
            JitCompile.Start();
            var compiled = BpfJit.Compile(new BpfProgram("batch", members.SelectMany(k => programs[k]).ToArray(), [_map]),
                options with { AdditionalEntryPoints = starts });
            JitCompile.Stop();
            if (!compiled.IsOk) return $"the JIT ({mode}) refused a batch: {compiled.Error}";

            for (int m = 0; m < members.Length; m++)
            {
                int k = members[m], index = firstIndex + k, start = starts[m];
                var runArgs = args[k];
                JitRun.Start();
                // Without frame clearing, start from the cleared frame the interpreter started from.
                var actual = RunOnce(c => compiled.Value.RunFrom(c, runArgs, start), index, clearFrameFirst: verified);
                JitRun.Stop();
                // Errors from the batch name instructions of the batch: shift them back.
                var jitResult = actual.Result.Error is { InstructionIndex: >= 0 } e
                    ? actual.Result with { Error = e with { InstructionIndex = e.InstructionIndex - start } }
                    : actual.Result;
                var want = expected[k].Result;
                if (verified) want = want with { InstructionsExecuted = 0 }; // nothing is counted without a budget

                if (want != jitResult || !expected[k].Stack.AsSpan().SequenceEqual(actual.Stack) || !expected[k].Map.AsSpan().SequenceEqual(actual.Map))
                    return $"program {index} (seed {seed}) differs, JIT {mode}{(compiled.Value.Code.RunsAlone ? " (runs alone)" : "")}:\n  interpreter: {want}\n  jit:         {jitResult}\n" +
                        $"  stack equal: {expected[k].Stack.AsSpan().SequenceEqual(actual.Stack)}{FirstStackDifference(expected[k].Stack, actual.Stack)}, map equal: {expected[k].Map.AsSpan().SequenceEqual(actual.Map)}\n" +
                        $"  args: {runArgs.R1:x} {runArgs.R2:x} {runArgs.R3:x} {runArgs.R4:x} {runArgs.R5:x}\n{Listing(programs[k])}";
                if (verified) RanVerified++;
                if (compiled.Value.Code.RunsAlone) RanAlone++;
                else RanBound++;
            }
            return null;
        }

        /// <summary>Where two stack snapshots first differ, as frame depth and offset below that frame's top.</summary>
        private static string FirstStackDifference(byte[] expected, byte[] actual)
        {
            int at = expected.AsSpan().CommonPrefixLength(actual);
            if (at >= expected.Length) return "";
            int depth = BpfRunContext.MaxCallDepth - 1 - at / BpfRunContext.StackFrameSize;
            int belowTop = BpfRunContext.StackFrameSize - at % BpfRunContext.StackFrameSize;
            return $" (first at frame {depth}, r10-{belowTop}: interpreter 0x{expected[at]:x2}, jit 0x{actual[at]:x2})";
        }

        private static bool CallsAnything(Instruction[] code) => code.Any(i => i.IsCall || i.IsCallx);

        private sealed record Snapshot(BpfRunResult Result, byte[] Stack, byte[] Map);

        /// <summary>Runs with the map zeroed, a fixed random seed and clock, then copies the whole stack and the map values.</summary>
        private Snapshot RunOnce(Func<BpfRunContext, BpfRunResult> run, int index, bool clearFrameFirst)
        {
            if (clearFrameFirst) new Span<byte>((void*)(_context.FramePointer(0) - BpfRunContext.StackFrameSize), BpfRunContext.StackFrameSize).Clear();
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
