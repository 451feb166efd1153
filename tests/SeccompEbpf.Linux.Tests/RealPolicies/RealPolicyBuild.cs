using System.Collections.Concurrent;
using System.Diagnostics;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Linux.Tests.RealPolicies;

/// <summary>
/// Builds what the real-policy tests run: eBPF filters with clang-19 (the example filters and test
/// filters) and static C programs with gcc, once per test run. Missing compilers skip the test with the reason.
/// </summary>
internal static class RealPolicyBuild
{
    private static readonly ConcurrentDictionary<string, Lazy<(string? Path, string Error)>> Cache = new();
    private static readonly string OutputDirectory = Directory.CreateTempSubdirectory("seccomp-ebpf-realpolicy-").FullName;

    public static string ExamplesDirectory => Path.Combine(SharedData.RepositoryRoot, "examples", "filters");
    private static string Here => Path.Combine(AppContext.BaseDirectory, "RealPolicies");

    /// <summary>examples/filters/NAME.c compiled with clang-19 -O2 -g -target bpf -mcpu=v3.</summary>
    public static string Example(string name) => Filter(Path.Combine(ExamplesDirectory, name + ".c"));

    /// <summary>A test filter of RealPolicies/Filters, with -D definitions such as "GETPID_LIMIT=5".</summary>
    public static string TestFilter(string name, params string[] defines) =>
        Filter(Path.Combine(Here, "Filters", name + ".c"), defines.Select(d => "-D" + d).ToArray());

    /// <summary>What `run --filter F...` enforces: the objects as eBPF filters, oldest first, loaded by this process.</summary>
    public static PolicyRunOptions RunOptions(params string[] filters) =>
        new(new PolicyOptions { Sources = [.. filters.Select(f => new EbpfObjectSource(f))] });

    public static string Probe() => Build("gcc", Path.Combine(Here, "Programs", "policy_probe.c"), ".bin", ["-O2", "-static"]);

    /// <summary>A static C program under the test output directory (e.g. "Emulation/Programs/open_probe.c").</summary>
    public static string StaticProgram(string relativeSource) =>
        Build("gcc", Path.Combine(AppContext.BaseDirectory, relativeSource), ".bin", ["-O2", "-static", "-pthread"]);

    /// <summary>An eBPF filter under the test output directory, with -D definitions.</summary>
    public static string FilterAt(string relativeSource, params string[] defines) =>
        Filter(Path.Combine(AppContext.BaseDirectory, relativeSource), defines.Select(d => "-D" + d).ToArray());

    private static string Filter(string source, params string[] extra) =>
        Build("clang-19", source, ".o", ["-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c", "-I", ExamplesDirectory, .. extra]);

    private static string Build(string compiler, string source, string suffix, string[] flags)
    {
        var key = compiler + "|" + source + "|" + string.Join(" ", flags);
        var (path, error) = Cache.GetOrAdd(key, _ => new Lazy<(string?, string)>(() => Run(compiler, source, suffix, flags))).Value;
        Assert.SkipWhen(path is null && error.StartsWith("missing:"), error);
        Assert.True(path is not null, $"{compiler} failed on {source}:\n{error}");
        return path!;
    }

    private static (string?, string) Run(string compiler, string source, string suffix, string[] flags)
    {
        var output = Path.Combine(OutputDirectory, $"{Path.GetFileNameWithoutExtension(source)}-{Math.Abs(string.Join(" ", flags).GetHashCode()):x}{suffix}");
        var start = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var flag in flags) start.ArgumentList.Add(flag);
        start.ArgumentList.Add(source);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(output);
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? (output, "") : (null, errors.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, $"missing: {compiler} is not installed (needed to build {Path.GetFileName(source)})");
        }
    }
}
