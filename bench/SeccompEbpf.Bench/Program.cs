namespace SeccompEbpf.Bench;

/// <summary>Benchmark modes: `dotnet run -c Release --project bench/SeccompEbpf.Bench -- MODE`.</summary>
public static class Program
{
    private static readonly Dictionary<string, (string Summary, Func<string[], int> Run)> Modes = new()
    {
        ["interpreter"] = ("ns per run and per instruction of the interpreter on loop, memory and empty programs", InterpreterBenchmark.Run),
        ["verifier"] = ("verification time of the example filters (clang-19), loop programs and the largest generated program; --quick", Verifier.VerifierBenchmark.Run),
        ["notify"] = ("supervisor round trip vs a minimal C notify loop; run -- /bin/true wall time; options --calls N --runs R --aot-cli PATH", Notify.NotifyBenchmark.Run),
        ["open"] = ("ns per openat+close: unfiltered vs continued by the supervisor (racy opt-in) vs emulated (ADDFD+SEND); options --calls N --runs R", Open.OpenBenchmark.Run),
        ["classic"] = ("ns per call of a 245-syscall linear deny list: classic interpreter vs translated eBPF", ClassicBenchmark.Run),
        ["jit"] = ("interpreter vs JIT vs the kernel's JIT (BPF_PROG_TEST_RUN, root) on the same programs [--quick]", args => JitBenchmark.Run(args, Console.Out)),
        ["profiles"] = ("Docker's profile: compile time and getppid latency, ours vs libseccomp; options --profile PATH --compile-runs N --round-ms N --rounds N", Profiles.ProfileBenchmark.Run),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Modes.TryGetValue(args[0], out var mode))
        {
            Console.Error.WriteLine("usage: SeccompEbpf.Bench MODE [options]");
            foreach (var (name, (summary, _)) in Modes) Console.Error.WriteLine($"  {name,-14} {summary}");
            return 2;
        }
        return mode.Run(args[1..]);
    }
}
