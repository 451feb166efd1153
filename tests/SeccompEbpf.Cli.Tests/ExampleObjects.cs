using System.Diagnostics;

namespace SeccompEbpf.Cli.Tests;

/// <summary>The example filters (examples/filters/*.c) built with clang-19 once per test run; tests skip without clang-19.</summary>
internal static class ExampleObjects
{
    private static readonly Lazy<string> OutputDir = new(() => Directory.CreateTempSubdirectory("seccomp-ebpf-cli-examples-").FullName);

    public static string Compile(string name)
    {
        bool hasClang = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "clang-19")));
        Assert.SkipUnless(hasClang, "clang-19 is not installed (scripts/install-prerequisites.sh installs it)");
        var output = Path.Combine(OutputDir.Value, name + ".o");
        if (File.Exists(output)) return output;
        var temporary = output + $".{Environment.CurrentManagedThreadId}.tmp";
        var psi = new ProcessStartInfo("clang-19") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c", Cli.Example("filters", name + ".c"), "-o", temporary })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"clang-19 failed on {name}.c:\n{err}");
        File.Move(temporary, output, overwrite: true);
        return output;
    }
}
