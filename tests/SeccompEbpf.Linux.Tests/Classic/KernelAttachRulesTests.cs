using SeccompEbpf.Bpf;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Model;
using SeccompEbpf.Tests.Classic;
using static SeccompEbpf.Model.SeccompFilterFlags;

namespace SeccompEbpf.Linux.Tests.Classic;

/// <summary>
/// The model's attach rules against the running kernel: flag combinations, the order of the
/// privilege and validity checks, the duplicate listener, and the 32,768-instruction limit
/// (which counts the kernel's converted length of each classic filter). TSYNC is only used in
/// combinations that fail before any thread is touched: a successful TSYNC would filter every
/// thread of the test process.
/// </summary>
public class KernelAttachRulesTests(ITestOutputHelper output)
{
    private static readonly ClassicInstruction AllowRet = ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.Allow);

    private static void SkipUnlessKernelAvailable()
    {
        var reason = KernelThreadHarness.WhyUnavailable();
        Assert.SkipUnless(reason is null, $"kernel seccomp test skipped: {reason}");
    }

    private static ClassicInstruction[] AllowOfLength(int length) =>
        [.. Enumerable.Repeat(ClassicInstruction.Stmt(ClassicOpcodes.LdImm, 5), length - 1), AllowRet];

    public static TheoryData<string, uint, bool, bool> Scenarios()
    {
        var data = new TheoryData<string, uint, bool, bool>();
        uint[] flags = [0, Log, SpecAllow, NewListener, NewListener | WaitKillableRecv, WaitKillableRecv, Tsync | NewListener, 1u << 6, 1u << 31];
        foreach (var program in new[] { "allow", "invalid", "empty", "too long" })
        foreach (var f in flags)
        foreach (var noNewPrivs in new[] { true, false })
        foreach (var capSysAdmin in new[] { true, false })
            data.Add($"{program}", f, noNewPrivs, capSysAdmin);
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void AttachOutcomeMatchesTheKernel(string programKind, uint flags, bool noNewPrivs, bool capSysAdmin)
    {
        SkipUnlessKernelAvailable();
        ClassicInstruction[] program = programKind switch
        {
            "allow" => [AllowRet],
            "invalid" => [ClassicInstruction.Stmt(ClassicOpcodes.LdAbsW, 2), AllowRet],
            "empty" => [],
            _ => AllowOfLength(ClassicInstruction.MaxInstructions + 1),
        };

        var model = new SeccompSystem(KernelFlavor.Upstream).Spawn(new SeccompCredentials(capSysAdmin, UserNamespaceId.Initial));
        if (noNewPrivs) model.SetNoNewPrivs();
        var expected = SeccompAttach.AttachClassic(model, program, flags);

        int kernelErrno = RunOnThread(() =>
        {
            if (!capSysAdmin && SeccompThreadFilter.DropAllCapabilities() is var capErrno and not 0) return -capErrno;
            if (noNewPrivs && SeccompThreadFilter.SetNoNewPrivs() is var nnpErrno and not 0) return -nnpErrno;
            int errno = SeccompThreadFilter.Install(program, flags, out long result);
            if (errno == 0 && (flags & NewListener) != 0) SeccompThreadFilter.Close((int)result);
            return errno;
        });
        Assert.True(kernelErrno >= 0, $"test setup failed with errno {-kernelErrno}");
        Assert.True(expected.Errno == kernelErrno,
            $"{programKind} flags {Describe(flags, KernelFlavor.Upstream)} nnp={noNewPrivs} cap={capSysAdmin}: kernel {LinuxErrno.Name(kernelErrno)}, model {expected}");
    }

    [Fact]
    public void SecondListenerIsBusy()
    {
        SkipUnlessKernelAvailable();
        var (first, second) = RunOnThread(() =>
        {
            SeccompThreadFilter.SetNoNewPrivs();
            int e1 = SeccompThreadFilter.Install([AllowRet], NewListener, out long fd);
            int e2 = SeccompThreadFilter.Install([AllowRet], NewListener, out _);
            if (e1 == 0) SeccompThreadFilter.Close((int)fd);
            return (e1, e2);
        });
        Assert.Equal(0, first);
        Assert.Equal(LinuxErrno.EBUSY, second);
    }

    [Fact]
    public void ConvertedLengthDecidesTheInstructionLimitExactly()
    {
        SkipUnlessKernelAvailable();
        // Seven 4096-instruction fillers cost 7 * (4100 + 4); a pad of n classic instructions
        // costs n + 4 + 4. With n = 4032 - budget, a last filter fits iff its converted length <= budget.
        var fillers = Enumerable.Repeat(AllowOfLength(4096), 7).ToArray();
        var generator = new RandomClassicFilters(new Random(4242), KernelThreadHarness.MinNr, KernelThreadHarness.MaxNr, KernelThreadHarness.NativeArch);
        var mismatches = new List<string>();
        const int filters = 150;
        for (int n = 0; n < filters; n++)
        {
            generator = generator.Next();
            var filter = generator.Filter();
            int length = ClassicKernelCost.ConvertedLength(ClassicChecker.Check(filter).Value);
            foreach (var budget in new[] { length, length - 1 })
            {
                ClassicInstruction[][] chain = [.. fillers, AllowOfLength(4032 - budget), filter];
                var (errno, _) = KernelThreadHarness.Run(chain, []);
                int expected = budget >= length ? 0 : LinuxErrno.ENOMEM;
                if (errno != expected)
                    mismatches.Add($"filter {n} (model length {length}) with budget {budget}: kernel {LinuxErrno.Name(errno)}, expected {LinuxErrno.Name(expected)}");
            }
        }
        output.WriteLine($"{filters} random filters: converted length checked at the exact limit");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
    }

    private static T RunOnThread<T>(Func<T> body)
    {
        T result = default!;
        var thread = new Thread(() => result = body(), 256 * 1024);
        thread.Start();
        thread.Join();
        return result;
    }
}
