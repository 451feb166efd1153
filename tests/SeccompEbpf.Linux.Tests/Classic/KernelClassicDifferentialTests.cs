using System.Diagnostics;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using SeccompEbpf.Tests.Classic;

namespace SeccompEbpf.Linux.Tests.Classic;

/// <summary>
/// Our classic checker, interpreter and precedence rule against the running kernel. Each filter
/// (or chain) is installed on a fresh thread and called with system call numbers that do not
/// exist, so the errno shows the kernel's verdict. The same filters translated to eBPF and run by
/// each engine of this build must agree too. Zero differences allowed.
/// </summary>
public class KernelClassicDifferentialTests(ITestOutputHelper output)
{
    private const int InputsPerFilter = 6;

    private static void SkipUnlessKernelAvailable()
    {
        var reason = KernelThreadHarness.WhyUnavailable();
        Assert.SkipUnless(reason is null, $"kernel seccomp differential test skipped: {reason}");
    }

    private static RandomClassicFilters Generator(int seed) =>
        new(new Random(seed), KernelThreadHarness.MinNr, KernelThreadHarness.MaxNr, KernelThreadHarness.NativeArch);

    [Fact]
    public void TwentyThousandRandomFiltersGiveTheKernelsVerdicts()
    {
        SkipUnlessKernelAvailable();
        const int filters = 20_000;
        var differences = new List<string>();
        var clock = Stopwatch.StartNew();
        long calls = 0;
        for (int n = 0; n < filters && differences.Count < 5; n++)
        {
            var generator = Generator(1_000_000 + n);
            var filter = generator.Filter();
            var inputs = Enumerable.Range(0, InputsPerFilter).Select(_ => generator.Input()).ToArray();
            var (installErrno, outcomes) = KernelThreadHarness.Run([filter], inputs);
            if (installErrno != 0)
            {
                differences.Add($"seed {1_000_000 + n}: kernel refused a filter our checker accepts (errno {installErrno})\n{Describe(filter)}");
                continue;
            }
            var translated = TranslatedEngines(filter);
            for (int i = 0; i < inputs.Length; i++)
            {
                calls++;
                var expected = SyscallOutcome.Expected(ClassicInterpreter.Run(filter, in inputs[i]));
                if (expected != outcomes[i])
                    differences.Add($"seed {1_000_000 + n} input {i}: kernel {outcomes[i]}, model {expected}\n{Describe(inputs[i])}\n{Describe(filter)}");
                foreach (var executable in translated)
                {
                    var viaEbpf = SyscallOutcome.Expected(RunTranslated(executable, inputs[i]));
                    if (viaEbpf != outcomes[i])
                        differences.Add($"seed {1_000_000 + n} input {i}: kernel {outcomes[i]}, translated eBPF on the {executable.Kind} {viaEbpf}\n{Describe(inputs[i])}\n{Describe(filter)}");
                }
            }
        }
        output.WriteLine($"{filters} filters, {calls} calls compared in {clock.ElapsedMilliseconds} ms");
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }

    [Fact]
    public void StackedChainsOfTwoToFiveFiltersFollowTheKernelsPrecedence()
    {
        SkipUnlessKernelAvailable();
        const int chains = 3_000;
        var differences = new List<string>();
        var clock = Stopwatch.StartNew();
        for (int n = 0; n < chains && differences.Count < 5; n++)
        {
            int seed = 2_000_000 + n;
            var rng = new Random(seed);
            var generator = Generator(seed);
            var chain = Enumerable.Range(0, rng.Next(2, 6)).Select(_ => (generator = generator.Next()).Filter(12)).ToArray();
            var inputs = Enumerable.Range(0, InputsPerFilter).Select(_ => generator.Input()).ToArray();
            var (installErrno, outcomes) = KernelThreadHarness.Run(chain, inputs);
            Assert.Equal(0, installErrno);
            for (int i = 0; i < inputs.Length; i++)
            {
                var resultsNewestFirst = chain.Reverse().Select(f => ClassicInterpreter.Run(f, in inputs[i])).ToArray();
                var expected = SyscallOutcome.Expected(FilterPrecedence.Combine(resultsNewestFirst));
                if (expected != outcomes[i])
                    differences.Add($"seed {seed} input {i}: kernel {outcomes[i]}, model {expected} from results (newest first) " +
                                    string.Join(", ", resultsNewestFirst.Select(r => $"0x{r:x8}")));
            }
        }
        output.WriteLine($"{chains} chains compared in {clock.ElapsedMilliseconds} ms");
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void CheckerAcceptsExactlyWhatTheKernelAccepts()
    {
        SkipUnlessKernelAvailable();
        const int programs = 6_000;
        var differences = new List<string>();
        int accepted = 0;
        var clock = Stopwatch.StartNew();
        for (int n = 0; n < programs && differences.Count < 5; n++)
        {
            int seed = 3_000_000 + n;
            var rng = new Random(seed);
            var program = Mutate(rng, Generator(seed).Filter(8));
            bool ours = ClassicChecker.Validate(program) is null;
            var (installErrno, _) = KernelThreadHarness.Run([program], []);
            bool kernels = installErrno == 0;
            if (kernels) accepted++;
            if (ours != kernels)
                differences.Add($"seed {seed}: kernel {(kernels ? "accepts" : $"refuses (errno {installErrno})")}, checker says {ClassicChecker.Validate(program)?.ToString() ?? "ok"}\n{Describe(program)}");
        }
        output.WriteLine($"{programs} mutated programs ({accepted} accepted by the kernel) compared in {clock.ElapsedMilliseconds} ms");
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }

    // One to three random edits after the guard: opcode, k, jt or jf, or a truncation.
    private static ClassicInstruction[] Mutate(Random rng, ClassicInstruction[] program)
    {
        var result = program.ToList();
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(RandomClassicFilters.GuardLength, result.Count);
            var ins = result[at];
            result[at] = rng.Next(6) switch
            {
                0 => ins with { Code = rng.Next(3) == 0 ? (ushort)rng.Next(0x100) : KnownCodes[rng.Next(KnownCodes.Length)] },
                1 => ins with { K = InterestingK[rng.Next(InterestingK.Length)] },
                2 => ins with { Jt = (byte)rng.Next(8) },
                3 => ins with { Jf = (byte)rng.Next(8) },
                4 => ins with { Code = KnownCodes[rng.Next(KnownCodes.Length)], K = InterestingK[rng.Next(InterestingK.Length)] },
                _ => ins,
            };
            if (rng.Next(10) == 0 && result.Count > RandomClassicFilters.GuardLength + 1)
                result.RemoveAt(result.Count - 1);
        }
        return [.. result];
    }

    private static readonly uint[] InterestingK = [0, 1, 2, 3, 4, 8, 12, 15, 16, 17, 31, 32, 60, 62, 63, 64, 68, 0xfffff000, 0xfffff004, uint.MaxValue];

    private static readonly ushort[] KnownCodes = typeof(ClassicOpcodes)
        .GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(ushort)).Select(f => (ushort)f.GetRawConstantValue()!).ToArray();

    // The filter translated to eBPF, prepared by every engine this build has (interpreter, JIT).
    private static List<IBpfExecutable> TranslatedEngines(ClassicInstruction[] filter)
    {
        var instructions = ClassicToEbpfTranslator.Translate(ClassicChecker.Check(filter).Value).Instructions;
        var executables = new List<IBpfExecutable>();
        foreach (var kind in Enum.GetValues<EngineKind>())
        {
            var prepared = BpfEngines.Prepare(new BpfProgram("classic", instructions), kind);
            if (prepared.IsOk) executables.Add(prepared.Value);
        }
        return executables;
    }

    private static uint RunTranslated(IBpfExecutable executable, SeccompData input)
    {
        var result = executable.RunWithContext(BpfExecutableExtensions.ThreadContext, input.ToBytes());
        return result.IsOk ? (uint)result.R0 : throw new InvalidOperationException(result.ToString());
    }

    private static string Describe(ClassicInstruction[] program) => ClassicDisassembler.ToListing(program);

    private static string Describe(SeccompData data) => $"nr {data.Nr} args [{data.Args}]";
}
