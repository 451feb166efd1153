using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.Bench;

/// <summary>
/// `jit` benchmark: the same programs on our interpreter, our JIT and the kernel's JIT, in one run.
/// Prints ns per run, ratios and compile times. Kernel overhead: BPF_PROG_TEST_RUN's loop costs
/// something per repetition even for an empty program, so besides raw figures the report gives
/// figures "adjusted" by subtracting each engine's own empty-program time (measured the same way).
/// </summary>
internal static unsafe class JitBenchmark
{
    private sealed record Row(string Name, double Interpreter, double Jit, double JitVerified, double? KernelNs, double? KernelWall,
        TimeSpan IlCompile, TimeSpan FirstRun, TimeSpan? KernelLoad, string Agreement, double JitEntry, double VerifiedEntry);

    /// <summary>Our verifier for a privileged loader (the kernel column runs as root), with the engine's base helpers.</summary>
    private static readonly VerifierOptions VerifierOptionsForBench = new VerifierOptions(BenchContextRules.Instance)
    {
        Helpers = Bpf.Helpers.HelperTable.Base.All.ToDictionary(h => h.Id, h => h.Prototype),
    }.AsPrivileged();

    public static int Run(string[] args, TextWriter output)
    {
        bool quick = args.Contains("--quick");
        int rounds = quick ? 3 : 7;
        var target = TimeSpan.FromMilliseconds(quick ? 100 : 300);
        var inv = CultureInfo.InvariantCulture;

        var ctxBytes = GC.AllocateArray<byte>(BenchPrograms.ContextSize, pinned: true);
        BenchPrograms.Context().CopyTo(ctxBytes, 0);
        byte* ctx = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(ctxBytes, 0);

        using var context = new BpfRunContext { InstructionBudget = 10_000_000 };
        // The kernel does not clear a program's stack between runs; for a like-for-like comparison neither do we here.
        context.ClearStack = false;
        using var kernel = new KernelTimer();
        output.WriteLine($"seccomp-ebpf JIT benchmark: {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        output.WriteLine(kernel.Unavailable is null ? "kernel JIT: socket filter, BPF_PROG_TEST_RUN" : $"kernel JIT: skipped ({kernel.Unavailable})");
        output.WriteLine();

        var rows = new List<Row>();
        foreach (var bench in BenchPrograms.All)
        {
            var created = BpfProgram.Create(bench.Name, bench.Code, bench.Maps);
            if (!created.IsOk) { output.WriteLine($"{bench.Name}: {created.Error}"); return 1; }
            var program = created.Value;
            foreach (var map in program.Maps)
                if (map.Type == Bpf.Maps.MapType.Hash) map.Update(BitConverter.GetBytes(BenchPrograms.CounterKey), new byte[map.ValueSize]);

            var interpreter = BpfEngines.Prepare(program, EngineKind.Interpreter).Value;
            var compiled = BpfJit.Compile(program);
            if (!compiled.IsOk) { output.WriteLine($"{bench.Name}: JIT: {compiled.Error}"); return 1; }
            var jit = compiled.Value;
            var (ilCompile, firstRun) = CompileTimes(program, context, ctx);

            // Compiled with our verifier's proofs, as the seccomp layer compiles a loaded filter: proven
            // accesses unchecked, no budget where termination is proven, no frame clearing, the context size checked once per run.
            var proven = VerifiedProgram.Prepare(program, VerifierOptionsForBench);
            if (!proven.IsOk) { output.WriteLine($"{bench.Name}: verifier: {proven.Error}"); return 1; }
            var verified = proven.Value.Compiled;
            var interp = EngineTimer.ForRun(interpreter, context, ctx, BenchPrograms.ContextSize);
            var checkedRun = EngineTimer.ForRun(jit, context, ctx, BenchPrograms.ContextSize);
            var verifiedRun = EngineTimer.ForRun(verified, context, ctx, BenchPrograms.ContextSize);
            // The seccomp layer's entry: r1 = the context, no BpfRunArgs built per run.
            var checkedEntry = EngineTimer.ForContextEntry(jit, context, ctx, BenchPrograms.ContextSize);
            var verifiedEntry = EngineTimer.ForContextEntry(verified, context, ctx, BenchPrograms.ContextSize);
            TimedRunner[] ours = [interp, checkedRun, verifiedRun, checkedEntry, verifiedEntry];
            ulong jitR0 = checkedRun.R0;
            string agreement = ours.All(r => r.R0 == jitR0) ? $"r0={jitR0:x}" : $"MISMATCH r0 interpreter/jit/verified/entries: {string.Join(" ", ours.Select(r => r.R0.ToString("x")))}";
            foreach (var runner in ours) runner.Calibrate(target);

            KernelTimer.Loaded? loaded = null;
            TimeSpan? kLoad = null;
            if (kernel.Unavailable is null)
            {
                (loaded, var error) = kernel.Load(bench);
                if (loaded is null) output.WriteLine($"{bench.Name}: kernel: {error}");
                else kLoad = loaded.LoadTime;
            }

            // Rounds interleave every engine, so that load changes on a shared machine hit all alike.
            double? kNs = null, kWall = null;
            for (int r = 0; r < rounds; r++)
            {
                foreach (var runner in ours) runner.Round();
                if (loaded is null) continue;
                // About as long as one of our rounds.
                uint repeat = (uint)Math.Clamp(target.TotalNanoseconds / Math.Max(1, verifiedRun.BestNsPerRun), 1000, 5_000_000);
                var measured = kernel.Measure(loaded, ctxBytes, repeat, 1);
                if (measured.Error is not null)
                {
                    output.WriteLine($"{bench.Name}: kernel: {measured.Error}");
                    loaded = null;
                    continue;
                }
                kNs = Math.Min(kNs ?? double.MaxValue, measured.KernelNs);
                kWall = Math.Min(kWall ?? double.MaxValue, measured.WallNs);
                if (measured.R0 != (uint)jitR0 && !agreement.Contains("kernel")) agreement += $" MISMATCH kernel r0={measured.R0:x}";
            }
            double interpNs = interp.BestNsPerRun, jitNs = checkedRun.BestNsPerRun, verifiedNs = verifiedRun.BestNsPerRun;
            double jitEntryNs = checkedEntry.BestNsPerRun, verifiedEntryNs = verifiedEntry.BestNsPerRun;
            rows.Add(new(bench.Name, interpNs, jitNs, verifiedNs, kNs, kWall, ilCompile, firstRun, kLoad, agreement, jitEntryNs, verifiedEntryNs));
            program.Maps.ToList().ForEach(m => m.Dispose());
        }

        Print(rows, output, inv);
        PrintEmptyWithStackClearing(output, inv, ctx, rounds, target);
        return rows.Any(r => r.Agreement.Contains("MISMATCH")) ? 1 : 0;
    }

    private static void Print(List<Row> rows, TextWriter o, IFormatProvider inv)
    {
        string F(double? v) => v is { } x ? x.ToString(x < 100 ? "F1" : "F0", inv) : "-";
        string R(double? a, double? b) => a is { } x && b is { } y && y > 0 ? (x / y).ToString("F2", inv) + "x" : "-";
        o.WriteLine("ns per run, best of rounds; ours: thread CPU time; kernel: its test_run duration (preemption excluded too); kern-wall: wall clock of the syscall / repeat");
        o.WriteLine("jit: fully checked, instruction budget enforced (any program); jit-ver: compiled with our verifier's proofs for a privileged loader (VerifiedProgram: proven accesses unchecked, no budget, context size checked once)");
        o.WriteLine("ours are called through Run with prepared BpfRunArgs (one call site per engine); rounds of all engines interleave; the kernel runs only verified programs, so jit-ver/kernel is the like-for-like ratio");
        o.WriteLine($"{"program",-14}{"interp",10}{"jit",10}{"jit-ver",10}{"kernel",10}{"kern-wall",10}{"interp/jit",12}{"jit/kernel",12}{"ver/kernel",12}{"jit/kwall",11}  result");
        foreach (var r in rows)
            o.WriteLine($"{r.Name,-14}{F(r.Interpreter),10}{F(r.Jit),10}{F(r.JitVerified),10}{F(r.KernelNs),10}{F(r.KernelWall),10}{R(r.Interpreter, r.Jit),12}{R(r.Jit, r.KernelNs),12}{R(r.JitVerified, r.KernelNs),12}{R(r.Jit, r.KernelWall),11}  {r.Agreement}");

        var empty = rows.First(r => r.Name == "empty");
        o.WriteLine();
        o.WriteLine("adjusted: minus the same engine's empty-program time (removes invocation / test_run loop overhead)");
        o.WriteLine($"{"program",-14}{"interp",10}{"jit",10}{"jit-ver",10}{"kernel",10}{"kern-wall",10}{"interp/jit",12}{"jit/kernel",12}{"ver/kernel",12}{"jit/kwall",11}");
        foreach (var r in rows.Where(r => r != empty))
        {
            double interp = r.Interpreter - empty.Interpreter, jit = r.Jit - empty.Jit, ver = r.JitVerified - empty.JitVerified;
            double? k = r.KernelNs - empty.KernelNs, w = r.KernelWall - empty.KernelWall;
            o.WriteLine($"{r.Name,-14}{F(interp),10}{F(jit),10}{F(ver),10}{F(k),10}{F(w),10}{R(interp, jit),12}{R(jit, k),12}{R(ver, k),12}{R(jit, w),11}");
        }

        o.WriteLine();
        o.WriteLine("the seccomp entry (JittedProgram.RunWithContext: r1 = context, no arguments built), ns per run");
        o.WriteLine($"{"program",-14}{"jit",10}{"jit-ver",10}{"kernel",10}{"jit/kernel",12}{"ver/kernel",12}");
        foreach (var r in rows)
            o.WriteLine($"{r.Name,-14}{F(r.JitEntry),10}{F(r.VerifiedEntry),10}{F(r.KernelNs),10}{R(r.JitEntry, r.KernelNs),12}{R(r.VerifiedEntry, r.KernelNs),12}");

        o.WriteLine();
        o.WriteLine("compile time per program (ours: median of 21 fresh compilations; kernel: one BPF_PROG_LOAD = verifier + JIT)");
        o.WriteLine($"{"program",-14}{"jit IL (µs)",13}{"jit native, 1st run (µs)",26}{"kernel load (µs)",18}");
        foreach (var r in rows)
            o.WriteLine($"{r.Name,-14}{r.IlCompile.TotalMicroseconds,13:F0}{r.FirstRun.TotalMicroseconds,26:F0}{(r.KernelLoad is { } k ? k.TotalMicroseconds.ToString("F0", inv) : "-"),18}");
    }

    /// <summary>
    /// Median over fresh compilations of the same program (after a warm-up, so the compiler's own
    /// code is already native): validation + IL generation, and the first run, which is when the
    /// runtime turns the IL into machine code.
    /// </summary>
    private static (TimeSpan Il, TimeSpan FirstRun) CompileTimes(BpfProgram program, BpfRunContext context, byte* ctx)
    {
        const int samples = 21;
        var il = new List<TimeSpan>();
        var first = new List<TimeSpan>();
        for (int i = 0; i < samples + 3; i++)
        {
            var fresh = new BpfProgram(program.Name, program.Instructions, program.Maps, program.Helpers);
            var jit = BpfJit.Compile(fresh).Value;
            long start = Stopwatch.GetTimestamp();
            jit.Run(context, BpfRunArgs.ForContext(ctx, BenchPrograms.ContextSize));
            var run = Stopwatch.GetElapsedTime(start);
            if (i < 3) continue; // warm-up
            il.Add(jit.CompileTime);
            first.Add(run);
        }
        return (il.Order().ElementAt(samples / 2), first.Order().ElementAt(samples / 2));
    }

    /// <summary>The empty program again with the default (stack cleared before each run), as a supervisor runs it.</summary>
    private static void PrintEmptyWithStackClearing(TextWriter o, IFormatProvider inv, byte* ctx, int rounds, TimeSpan target)
    {
        using var context = new BpfRunContext();
        var program = new BpfProgram("empty", BenchPrograms.All[0].Code);
        var jit = BpfJit.Compile(program).Value;
        double ns = EngineTimer.Measure(EngineTimer.ForRun(jit, context, ctx, BenchPrograms.ContextSize), rounds, target);
        o.WriteLine();
        o.WriteLine($"empty program on the JIT (checked) with ClearStack on, the default (frame 0 is cleared as far as earlier runs wrote it): {ns.ToString("F1", inv)} ns per run");
    }
}
