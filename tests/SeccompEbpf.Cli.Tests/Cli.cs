using System.Diagnostics;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Cli.Tests;

/// <summary>What one run of the command line produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output as bytes (a real process only).</summary>
    public byte[] StdoutBytes { get; init; } = [];

    /// <summary>Asserts the exit status and, when given, what standard error says; returns the result for more checks.</summary>
    public CliResult Expect(int exitCode, string? stderrSays = null)
    {
        Assert.True(ExitCode == exitCode, $"expected exit {exitCode}\n{this}");
        if (stderrSays is not null) Assert.Contains(stderrSays, Stderr);
        return this;
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs `seccomp-ebpf` in-process (fast) or as a real process (when stdin or the exit status itself matter).</summary>
public static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliMain.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The built seccomp-ebpf.dll next to the tests (the project reference copies it).</summary>
    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "seccomp-ebpf.dll");

    public static CliResult RunProcess(string? stdin, params string[] args) => RunProcess(stdin is null ? null : System.Text.Encoding.UTF8.GetBytes(stdin), args);

    public static CliResult RunProcess(byte[]? stdin, params string[] args) => RunProcessIn(SharedData.RepositoryRoot, stdin, args);

    /// <summary>As <see cref="RunProcess(byte[], string[])"/>, in <paramref name="directory"/> (where a relative output would land).</summary>
    public static CliResult RunProcessIn(string directory, byte[]? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        psi.ArgumentList.Add(AssemblyPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        // Bytes, not text: binary output (-o -) must arrive as written.
        var stdout = Task.Run(() =>
        {
            using var buffer = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            return buffer.ToArray();
        });
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"seccomp-ebpf {string.Join(' ', args)} did not finish in 30 s");
        }
        return new CliResult(process.ExitCode, System.Text.Encoding.UTF8.GetString(stdout.Result), stderr.Result) { StdoutBytes = stdout.Result };
    }

    public static string Example(params string[] parts) => Path.Combine([SharedData.RepositoryRoot, "examples", .. parts]);
}

/// <summary>A temporary directory removed after the test.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("seccomp-ebpf-cli-tests-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public string Write(string name, string text) { System.IO.File.WriteAllText(File(name), text); return File(name); }
    public string Write(string name, byte[] bytes) { System.IO.File.WriteAllBytes(File(name), bytes); return File(name); }
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}
