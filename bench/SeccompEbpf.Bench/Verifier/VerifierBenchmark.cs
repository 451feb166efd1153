using System.Diagnostics;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;
using SeccompEbpf.Linux.Tests.Kernel;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Bench.Verifier;

/// <summary>
/// Verification time per program: the example filters (built with clang-19 at bench time), a few
/// loop programs that stress pruning, and the largest program of the differential generator's corpus.
/// </summary>
public static class VerifierBenchmark
{
    public static int Run(string[] args)
    {
        var round = TimeSpan.FromMilliseconds(args.Contains("--quick") ? 100 : 400);
        // "proven": loads/stores/atomics proven in bounds on every path (run unchecked by VerifiedProgram) / all of them.
        Console.WriteLine($"{"program",-44} {"insns",6} {"processed",9} {"states",6} {"proven",8} {"wall µs",9} {"cpu µs",9}");
        foreach (var (name, program, options) in ExampleFilters().Concat(LoopPrograms()).Append(LargestGenerated()))
        {
            var first = BpfVerifier.Verify(program, options);
            if (!first.Accepted)
            {
                Console.WriteLine($"{name,-44} rejected: {first.Error}");
                continue;
            }
            var t = Measurement.PerCall(() => BpfVerifier.Verify(program, options), round);
            var proven = $"{first.Accesses.ProvenSafe.Count}/{first.Accesses.MemoryAccesses}";
            Console.WriteLine($"{name,-44} {program.Count,6} {first.ProcessedInstructions,9} {first.StoredStates,6} {proven,8} {t.WallNanoseconds / 1000,9:F1} {t.CpuNanoseconds / 1000,9:F1}");
        }
        return 0;
    }

    private static IEnumerable<(string, IReadOnlyList<Instruction>, VerifierOptions)> ExampleFilters()
    {
        var dir = FindExamples();
        if (dir is null) { Console.WriteLine("examples/filters not found: example filters skipped"); yield break; }
        var clang = FindClang();
        if (clang is null) { Console.WriteLine("clang-19 not found: example filters skipped"); yield break; }
        var outDir = Directory.CreateTempSubdirectory("verifier-bench-");
        foreach (var source in Directory.GetFiles(dir, "*.c").Order())
        {
            var obj = Path.Combine(outDir.FullName, Path.GetFileNameWithoutExtension(source) + ".o");
            var psi = new ProcessStartInfo(clang, ["-O2", "-g", "-target", "bpf", "-mcpu=v3", "-I", dir, "-c", source, "-o", obj])
            { RedirectStandardError = true };
            using (var p = Process.Start(psi)!)
            {
                var err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) { Console.WriteLine($"{Path.GetFileName(source)}: clang failed: {err.Trim()}"); continue; }
            }
            var loaded = BpfObjectLoader.LoadFile(obj);
            if (!loaded.IsOk) { Console.WriteLine($"{Path.GetFileName(source)}: {loaded.Error}"); continue; }
            var maps = loaded.Value.Maps.Select((m, i) => (m, i)).ToDictionary(x => x.i, x => x.m);
            var privileges = LoaderPrivileges.Privileged;
            var options = SeccompProgramLoader.OptionsFor(privileges, SeccompHelperSet.ChooseFor(privileges), maps);
            foreach (var program in loaded.Value.Programs)
                yield return ($"{Path.GetFileNameWithoutExtension(source)}/{program.Name}", program.Instructions, options);
        }
        outDir.Delete(recursive: true);
    }

    private static IEnumerable<(string, IReadOnlyList<Instruction>, VerifierOptions)> LoopPrograms()
    {
        var options = new VerifierOptions(SeccompProgramRules.Instance)
        {
            Helpers = SeccompHelperSet.ChooseFor(LoaderPrivileges.Privileged).Helpers,
        }.AsPrivileged();
        yield return ("loop: 1000 iterations", Asm("r0 = 0", "r0 += 1", "if r0 < 1000 goto -2", "exit"), options);
        yield return ("loop: 200 iterations, branch inside",
            Asm("r6 = 0", "r7 = 0", "call 7", "if r0 & 1 goto +1", "r8 = 1", "r6 += 1", "if r6 < 200 goto -5", "r0 = 0", "exit"), options);
    }

    private static (string, IReadOnlyList<Instruction>, VerifierOptions) LargestGenerated()
    {
        var hashSpec = new MapSpec("hash", MapType.Hash, 4, DifferentialProgramGenerator.HashValueSize, 16);
        var arraySpec = new MapSpec("array", MapType.Array, 4, DifferentialProgramGenerator.ArrayValueSize, 4);
        var options = new VerifierOptions(SeccompProgramRules.Instance)
        {
            Helpers = SeccompHelperSet.ChooseFor(LoaderPrivileges.Privileged).Helpers,
            Maps = new Dictionary<int, MapSpec> { [0] = hashSpec, [1] = arraySpec },
        }.AsPrivileged();
        // The differential corpus (seeds 0..1999, 2..13 snippets): its largest accepted program.
        Instruction[] largest = [];
        int largestSeed = -1;
        for (int seed = 0; seed < 2000; seed++)
        {
            var program = new DifferentialProgramGenerator(seed, hashMap: 0, arrayMap: 1).Generate(2 + seed % 12);
            if (program.Length > largest.Length && BpfVerifier.Verify(program, options).Accepted) { largest = program; largestSeed = seed; }
        }
        return ($"largest accepted generated (seed {largestSeed})", largest, options);
    }

    private static Instruction[] Asm(params string[] lines)
    {
        var r = Bpf.Asm.Assembler.Assemble(string.Join("\n", lines));
        if (!r.IsOk) throw new InvalidOperationException(r.Error!.ToString());
        return r.Value;
    }

    private static string? FindExamples()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "examples", "filters");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string? FindClang() =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "clang-19")).FirstOrDefault(File.Exists);
}
