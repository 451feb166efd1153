using System.Diagnostics;
using System.Text;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;
using SeccompEbpf.Linux.Kernel;
using static SeccompEbpf.Bpf.Helpers.HelperArg;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>
/// Differential check of our verifier against the running kernel's. Both see the same generated
/// programs; the kernel loads them as privileged (root) socket filters with a GPL license, and we
/// verify them with privileged options (pointer leaks and loops allowed, as the kernel for root).
/// Target: no program that we accept and the kernel rejects. Programs the kernel accepts and we
/// reject are precision gaps; they are listed by rule with their share.
/// </summary>
public sealed class KernelVerifierDifferentialTests
{
    private const int ProgramCount = 2000;

    private static readonly HelperPrototype[] Helpers =
    [
        new(1, "map_lookup_elem", HelperReturn.PtrToMapValueOrNull, ConstMapPtr, PtrToMapKey),
        new(2, "map_update_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapKey, PtrToMapValue, Scalar),
        new(3, "map_delete_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapKey),
        new(5, "ktime_get_ns", HelperReturn.Integer),
        new(7, "get_prandom_u32", HelperReturn.Integer),
        new(8, "get_smp_processor_id", HelperReturn.Integer),
    ];

    [Fact]
    public void GeneratedCorpusNeverAcceptedByUsAndRejectedByKernel()
    {
        Assert.SkipUnless(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root", "needs root to load programs with bpf(2)");
        Assert.SkipUnless(KernelBpf.IsAvailable(out var reason), reason);

        var hashSpec = new MapSpec("diff_hash", MapType.Hash, 4, DifferentialProgramGenerator.HashValueSize, 16);
        var arraySpec = new MapSpec("diff_array", MapType.Array, 4, DifferentialProgramGenerator.ArrayValueSize, 4);
        using var hash = KernelBpf.TryCreateMap(hashSpec).Fd ?? throw new InvalidOperationException("cannot create hash map");
        using var array = KernelBpf.TryCreateMap(arraySpec).Fd ?? throw new InvalidOperationException("cannot create array map");
        var options = new VerifierOptions(SocketFilterLikeRules.Instance)
        {
            Helpers = Helpers.ToDictionary(h => h.Id),
            Maps = new Dictionary<int, MapSpec> { [hash.Fd] = hashSpec, [array.Fd] = arraySpec },
        }.AsPrivileged();

        int bothAccept = 0, bothReject = 0;
        var agreedRules = new Dictionary<string, int>();
        var unsound = new List<string>();
        var gaps = new Dictionary<string, List<string>>();
        TimeSpan ourTotal = default, kernelTotal = default;
        long largest = 0; TimeSpan slowest = default; int slowestSeed = -1; TimeSpan largestTime = default; var smallTimes = new List<double>();
        for (int seed = 0; seed < ProgramCount; seed++)
        {
            var gen = new DifferentialProgramGenerator(seed, hash.Fd, array.Fd);
            var program = gen.Generate(snippets: 2 + seed % 12);
            var clock = Stopwatch.StartNew();
            var ours = BpfVerifier.Verify(program, options);
            ourTotal += clock.Elapsed;
            clock.Restart();
            var kernel = KernelBpf.LoadProgram(KernelProgType.SocketFilter, program);
            kernelTotal += clock.Elapsed;
            kernel.Program?.Dispose();
            if (ours.Elapsed > slowest) { slowest = ours.Elapsed; slowestSeed = seed; }
            if (program.Length > largest) { largest = program.Length; largestTime = ours.Elapsed; }
            if (program.Length <= 20) smallTimes.Add(ours.Elapsed.TotalMicroseconds);
            if (ours.Accepted && kernel.Accepted) bothAccept++;
            else if (!ours.Accepted && !kernel.Accepted)
            {
                bothReject++;
                agreedRules[ours.Error!.Rule] = agreedRules.GetValueOrDefault(ours.Error.Rule) + 1;
            }
            else if (ours.Accepted)
            {
                var log = KernelBpf.LoadProgram(KernelProgType.SocketFilter, program, logLevel: 1, logSize: 1 << 16).Log;
                unsound.Add($"seed {seed}: kernel rejects (errno {kernel.Errno}): {LastLines(log, 3)}\n{Listing(program)}");
            }
            else
            {
                var rule = ours.Error!.Rule;
                if (!gaps.TryGetValue(rule, out var list)) gaps[rule] = list = new();
                list.Add($"seed {seed}: {ours.Error.Message}");
            }
        }

        var report = new StringBuilder();
        int gapCount = gaps.Values.Sum(l => l.Count);
        report.AppendLine($"differential: {ProgramCount} programs; both accept {bothAccept}, both reject {bothReject}, " +
                          $"we accept/kernel rejects {unsound.Count}, kernel accepts/we reject {gapCount} ({100.0 * gapCount / ProgramCount:F1}%)");
        report.AppendLine("  both reject, by our rule: " + string.Join(", ", agreedRules.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")));
        foreach (var (rule, list) in gaps.OrderByDescending(g => g.Value.Count))
            report.AppendLine($"  gap [{rule}] x{list.Count}, e.g. {list[0]}");
        smallTimes.Sort();
        report.AppendLine($"our verification time: largest program ({largest} insns) {largestTime.TotalMicroseconds:F0} us; " +
                          $"median of programs <= 20 insns {(smallTimes.Count > 0 ? smallTimes[smallTimes.Count / 2] : 0):F1} us");
        report.AppendLine($"slowest for us: seed {slowestSeed}, {slowest.TotalMilliseconds:F1} ms");
        report.AppendLine($"total time: ours {ourTotal.TotalMilliseconds:F0} ms, kernel {kernelTotal.TotalMilliseconds:F0} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Console.WriteLine(report.ToString());
        Assert.True(unsound.Count == 0, report + string.Join("\n", unsound.Take(8)));
        Assert.True(bothAccept > ProgramCount / 10 && bothReject > ProgramCount / 10, "the corpus should have many accepted and many rejected programs\n" + report);
    }

    private static string LastLines(string log, int n) => string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(n));

    private static string Listing(Instruction[] program) =>
        string.Join("\n", program.Select((_, i) => $"  {i}: {InstructionText.Format(program, i)}"));
}
