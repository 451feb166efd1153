using System.Collections.Concurrent;
using System.Diagnostics;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>
/// Compiles C sources to BPF objects with the machine's clang into a temporary directory,
/// once per (source, compiler, cpu) per test run. Tests skip with the reason when a compiler is missing.
/// </summary>
public static class ClangCompiler
{
    public const string Clang19 = "clang-19";
    public const string DebianClang = "clang";

    private static readonly ConcurrentDictionary<string, Lazy<(string? Path, string Error)>> Cache = new();
    private static readonly string OutputDirectory = Directory.CreateTempSubdirectory("seccomp-ebpf-elf-tests-").FullName;

    public static string ExamplesDirectory => Path.Combine(SharedData.RepositoryRoot, "examples", "filters");
    public static string TestSourcesDirectory => Path.Combine(SharedData.RepositoryRoot, "tests", "SeccompEbpf.Bpf.Tests", "Elf", "Sources");

    public static string ExamplePath(string name) => Path.Combine(ExamplesDirectory, name + ".c");

    public static bool IsAvailable(string compiler) => FindOnPath(compiler) is not null;

    /// <summary>Compiles and returns the object path; skips the calling test when the compiler is missing.</summary>
    public static string CompileOrSkip(string source, string compiler = Clang19, string cpu = "v3", string extraFlags = "")
    {
        Assert.SkipUnless(IsAvailable(compiler), $"{compiler} is not installed (scripts/install-prerequisites.sh installs it)");
        var (path, error) = Compile(source, compiler, cpu, extraFlags);
        Assert.True(path is not null, $"{compiler} -mcpu={cpu} failed on {source}:\n{error}");
        return path!;
    }

    /// <summary>The object path, or null and the compiler's message.</summary>
    public static (string? Path, string Error) Compile(string source, string compiler, string cpu, string extraFlags = "")
    {
        string key = $"{source}|{compiler}|{cpu}|{extraFlags}";
        return Cache.GetOrAdd(key, _ => new Lazy<(string?, string)>(() => Run(source, compiler, cpu, extraFlags))).Value;
    }

    private static (string?, string) Run(string source, string compiler, string cpu, string extraFlags)
    {
        string output = Path.Combine(OutputDirectory,
            $"{Path.GetFileNameWithoutExtension(source)}.{compiler}.{cpu}.{Math.Abs(extraFlags.GetHashCode()):x}.o");
        var psi = new ProcessStartInfo(compiler)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-O2", "-g", "-target", "bpf", $"-mcpu={cpu}", "-c", source, "-o", output })
            psi.ArgumentList.Add(arg);
        foreach (var arg in extraFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); return (null, "timed out"); }
        return process.ExitCode == 0 ? (output, "") : (null, stderr.Result);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
