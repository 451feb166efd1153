using System.Collections.Concurrent;
using System.Diagnostics;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Tests.Split;

/// <summary>Compiles examples/filters/*.c with clang-19 once per run; tests skip when clang-19 is missing.</summary>
internal static class ExampleObjects
{
    private static readonly ConcurrentDictionary<string, Lazy<(string? Path, string Error)>> Cache = new();
    private static readonly string OutputDirectory = Directory.CreateTempSubdirectory("seccomp-ebpf-split-tests-").FullName;

    public static string CompileOrSkip(string example)
    {
        Assert.SkipUnless(OnPath("clang-19"), "clang-19 is not installed (scripts/install-prerequisites.sh installs it)");
        var (path, error) = Cache.GetOrAdd(example, e => new Lazy<(string?, string)>(() => Compile(e))).Value;
        Assert.True(path is not null, $"clang-19 failed on {example}:\n{error}");
        return path!;
    }

    private static (string?, string) Compile(string example)
    {
        string source = Path.Combine(SharedData.RepositoryRoot, "examples", "filters", example + ".c");
        string output = Path.Combine(OutputDirectory, example + ".o");
        var psi = new ProcessStartInfo("clang-19") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c", source, "-o", output }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); return (null, "timed out"); }
        return process.ExitCode == 0 ? (output, "") : (null, stderr.Result);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, program)));
}
