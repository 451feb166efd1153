using System.Diagnostics;
using System.Globalization;
using SeccompEbpf.Bench.Notify;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Policy.Sources;

namespace SeccompEbpf.Bench.Open;

/// <summary>
/// `SeccompEbpf.Bench open [--calls N] [--runs R]`: ns per openat+close unfiltered, continued by the
/// supervisor (example 5 with the racy opt-in) and emulated by it (example 5, ADDFD+SEND); see bench/open/README.md.
/// </summary>
internal static class OpenBenchmark
{
    public static int Run(string[] args)
    {
        int calls = IntOption(args, "--calls", 20_000), runs = IntOption(args, "--runs", 5);
        if (!Environment.IsPrivilegedProcess) Console.WriteLine("# not root: the filter loads as unprivileged (still measurable)");
        var work = Directory.CreateTempSubdirectory("seccomp-ebpf-bench-open").FullName;
        try
        {
            var loop = CompileWorkload(work);
            var target = Path.Combine(work, "target");
            File.WriteAllText(target, "opened by the benchmark");
            var filter = CompileExample5(work);
            var count = calls.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"# open benchmark: {calls} openat+close per run, median of {runs} runs, {Environment.ProcessorCount} CPUs, load {File.ReadAllText("/proc/loadavg").Trim()}");

            var bare = new List<double>(); var continued = new List<double>(); var emulated = new List<double>();
            var continuedCpu = new List<double>(); var emulatedCpu = new List<double>();
            Sandboxed(filter, target, loop, count, racy: false); // warm-up: JIT-compiles the supervisor's paths, untimed
            for (int i = 0; i < runs; i++)
            {
                bare.Add(Measure.RunLoop(loop, [target, count]).NsPerCall);
                var c = Sandboxed(filter, target, loop, count, racy: true);
                continued.Add(c.NsPerCall); continuedCpu.Add(c.SupervisorNsPerCall);
                var e = Sandboxed(filter, target, loop, count, racy: false);
                emulated.Add(e.NsPerCall); emulatedCpu.Add(e.SupervisorNsPerCall);
            }
            double b = Measure.Median(bare), c2 = Measure.Median(continued), e2 = Measure.Median(emulated);
            Console.WriteLine($"ns per openat+close (wall, workload's clock): unfiltered {b:F0}, continued (racy) {c2:F0}, emulated {e2:F0}");
            Console.WriteLine($"ratios: emulated / continued {e2 / c2:F2}, emulated / unfiltered {e2 / b:F1}, continued / unfiltered {c2 / b:F1}");
            Console.WriteLine($"supervisor CPU per open (this process): continued {Measure.Median(continuedCpu):F0} ns, emulated {Measure.Median(emulatedCpu):F0} ns");
            return 0;
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    private static (double NsPerCall, double SupervisorNsPerCall) Sandboxed(string filter, string target, string loop, string count, bool racy)
    {
        var policy = new PolicyOptions { Sources = [new EbpfObjectSource(filter)], MapSeeds = [MapSeed.Parse($"allowed_paths={target}")!] };
        var sources = new PolicyRunOptions(policy) { AllowRacyMemoryChecks = racy };
        var built = PolicyRunPlan.Build(sources);
        if (!built.IsOk) throw new InvalidOperationException(built.Error!.ToString());
        var plan = built.Value.Plan;
        var output = Path.GetTempFileName();
        try
        {
            var request = new SandboxRequest(plan, loop, [target, count])
            {
                StandardOutputPath = output,
                Launcher = LauncherInvocation.ForAssembly(Path.Combine(AppContext.BaseDirectory, "seccomp-ebpf.dll")),
                ForwardSignals = false,
            };
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var result = Sandbox.Run(request);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var line = File.ReadAllText(output).Split('\n').FirstOrDefault(l => l.StartsWith("calls "))
                ?? throw new InvalidOperationException($"open_loop printed no summary (exit {result.ExitCode}): {result.Error}");
            var fields = line.Split(' ');
            double Field(string name) => double.Parse(fields[Array.IndexOf(fields, name) + 1], CultureInfo.InvariantCulture);
            if (Field("fail") != 0) throw new InvalidOperationException($"opens failed under the sandbox: {line}");
            return (Field("ns_per_call"), cpu.TotalNanoseconds / Field("calls"));
        }
        finally
        {
            (plan.Decider as IDisposable)?.Dispose();
            File.Delete(output);
        }
    }

    private static string CompileWorkload(string work)
    {
        var output = Path.Combine(work, "open_loop");
        Run("gcc", ["-O2", "-static", "-o", output, Path.Combine(NativeTools.RepositoryRoot, "bench", "open", "open_loop.c")]);
        return output;
    }

    private static string CompileExample5(string work)
    {
        var examples = Path.Combine(NativeTools.RepositoryRoot, "examples", "filters");
        var output = Path.Combine(work, "05_openat_paths.o");
        Run("clang-19", ["-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c", Path.Combine(examples, "05_openat_paths.c"), "-o", output]);
        return output;
    }

    private static void Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed:\n{errors}");
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value > 0 ? value : fallback;
    }
}
