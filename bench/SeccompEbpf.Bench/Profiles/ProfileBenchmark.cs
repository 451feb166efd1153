using System.Diagnostics;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;
using SeccompEbpf.Tests.Policy;

namespace SeccompEbpf.Bench.Profiles;

/// <summary>
/// Docker's default profile, in one run: compile time (ours vs libseccomp), getppid latency in the
/// real kernel under no filter / our filter / libseccomp's linear and binary-tree filters, and the
/// static figures (size, instructions executed worst/average) of the same three filters.
/// Options: --profile PATH (default: ../shared/testdata/profiles/docker-default.json found above
/// the binary), --compile-runs N (default 200), --round-ms N (default 200), --rounds N (default 7).
/// </summary>
public static class ProfileBenchmark
{
    public static int Run(string[] args)
    {
        var options = ParseOptions(args);
        if (options is null) return 2;
        var (path, compileRuns, roundTime, rounds) = options.Value;
        if (!LibSeccompNative.IsAvailable())
        {
            Console.Error.WriteLine("libseccomp.so.2 is not installed (apt-get install libseccomp2): it is the reference");
            return 1;
        }
        var parsed = ProfileParser.ParseFile(path);
        if (!parsed.Ok)
        {
            foreach (var d in parsed.Diagnostics) Console.Error.WriteLine($"{path}: {d}");
            return 1;
        }
        var profile = parsed.Profile!;
        var target = new ProfileTarget();
        var ours = ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(profile, target).Plan);
        if (!ours.IsOk)
        {
            Console.Error.WriteLine($"compile failed: {ours.Error}");
            return 1;
        }
        var filters = new (string Name, ClassicInstruction[]? Program)[]
        {
            ("no filter", null),
            ("seccomp-ebpf", ours.Value),
            ("libseccomp linear", LibSeccompReference.Compile(profile, target, LibSeccompReference.Tree.Linear)),
            ("libseccomp binary tree", LibSeccompReference.Compile(profile, target, LibSeccompReference.Tree.Binary)),
        };

        Console.WriteLine($"profile: {path} (native x86_64 + i386 + x32, Docker's default capabilities)");
        Console.WriteLine();
        PrintCompileTimes(path, profile, target, compileRuns);
        Console.WriteLine();
        PrintLatencies(filters, roundTime, rounds);
        Console.WriteLine();
        PrintQuality(filters.Where(f => f.Program is not null).Select(f => (f.Name, f.Program!)));
        return 0;
    }

    private static void PrintCompileTimes(string path, SeccompProfile profile, ProfileTarget target, int runs)
    {
        var rows = new (string Name, Action Compile)[]
        {
            ("seccomp-ebpf parse+resolve+compile", () => ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(ProfileParser.ParseFile(path).Profile!, target).Plan)),
            ("seccomp-ebpf resolve+compile", () => ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(profile, target).Plan)),
            ("libseccomp init+rules+export (linear)", () => LibSeccompReference.Compile(profile, target, LibSeccompReference.Tree.Linear)),
            ("libseccomp init+rules+export (tree)", () => LibSeccompReference.Compile(profile, target, LibSeccompReference.Tree.Binary)),
        };
        Console.WriteLine($"compile time, mean over {runs} runs after {Math.Max(10, runs / 10)} warm-up runs (libseccomp export goes through a temp file)");
        Console.WriteLine($"  {"compiler",-40} {"ms/run",9}");
        foreach (var (name, compile) in rows)
        {
            for (int i = 0; i < Math.Max(10, runs / 10); i++) compile();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < runs; i++) compile();
            Console.WriteLine($"  {name,-40} {clock.Elapsed.TotalMilliseconds / runs,9:F3}");
        }
    }

    private static void PrintLatencies(IEnumerable<(string Name, ClassicInstruction[]? Program)> filters, TimeSpan roundTime, int rounds)
    {
        Console.WriteLine($"getppid latency in the kernel, each filter installed on its own fresh thread (median of {rounds} rounds of {roundTime.TotalMilliseconds:F0} ms)");
        Console.WriteLine($"  {"filter",-24} {"insns run",9} {"wall ns/call",13} {"vs none",9} {"cpu ns/call",12} {"vs none",9}");
        Measurement.Result? baseline = null;
        foreach (var (name, program) in filters)
        {
            var outcome = GetppidLatency.Measure(program, roundTime, rounds);
            if (outcome.Error is not null)
            {
                Console.WriteLine($"  {name,-24} not measured: {outcome.Error}");
                continue;
            }
            var r = outcome.Result;
            baseline ??= r;
            // Instructions the filter executes for this very call, from our interpreter: what the latency difference should follow.
            int executed = 0;
            if (program is not null) ClassicInterpreter.Run(program, SeccompData.For(GetppidLatency.Number, NativeArch.AuditArchValue), out executed);
            Console.WriteLine($"  {name,-24} {executed,9} {r.WallNanoseconds,13:F1} {r.WallNanoseconds - baseline.Value.WallNanoseconds,+9:+0.0;-0.0} {r.CpuNanoseconds,12:F1} {r.CpuNanoseconds - baseline.Value.CpuNanoseconds,9:+0.0;-0.0}");
        }
    }

    private static void PrintQuality(IEnumerable<(string Name, ClassicInstruction[] Program)> filters)
    {
        Console.WriteLine("static figures: instructions, and instructions executed over each ABI's real syscalls (worst / average)");
        Console.WriteLine($"  {"filter",-24} {"insns",6} | {"x86_64 worst/avg",18} | {"i386 worst/avg",16} | {"x32 worst/avg",16}");
        foreach (var (name, program) in filters)
        {
            var cells = new[] { SyscallArch.X86_64, SyscallArch.I386, SyscallArch.X32 }
                .Select(a => FilterQuality.Measure(program, a))
                .Select(f => $"{f.Worst,5} / {f.Average,6:F2}").ToList();
            Console.WriteLine($"  {name,-24} {program.Length,6} | {cells[0],18} | {cells[1],16} | {cells[2],16}");
        }
    }

    private static (string Path, int CompileRuns, TimeSpan RoundTime, int Rounds)? ParseOptions(string[] args)
    {
        string? path = null;
        int compileRuns = 200, roundMs = 200, rounds = 7;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            bool ok = args[i] switch
            {
                "--profile" when value is not null => (path = value) is not null,
                "--compile-runs" => int.TryParse(value, out compileRuns) && compileRuns > 0,
                "--round-ms" => int.TryParse(value, out roundMs) && roundMs > 0,
                "--rounds" => int.TryParse(value, out rounds) && rounds > 0,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"bad option '{args[i]}' (--profile PATH, --compile-runs N, --round-ms N, --rounds N)");
                return null;
            }
            i++;
        }
        path ??= FindDockerProfile();
        if (path is null || !File.Exists(path))
        {
            Console.Error.WriteLine($"Docker's profile not found ({path ?? "no ../shared/testdata/profiles above " + AppContext.BaseDirectory}); give --profile PATH");
            return null;
        }
        return (path, compileRuns, TimeSpan.FromMilliseconds(roundMs), rounds);
    }

    /// <summary>The same place the tests look: a "shared/testdata/profiles" next to an ancestor of the binary.</summary>
    private static string? FindDockerProfile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", "profiles", "docker-default.json");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
