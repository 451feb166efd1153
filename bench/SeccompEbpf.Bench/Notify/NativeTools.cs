using System.Diagnostics;

namespace SeccompEbpf.Bench.Notify;

/// <summary>Builds the C programs of bench/notify with gcc into a temporary directory.</summary>
internal static class NativeTools
{
    /// <summary>The repository this benchmark was built from (the directory holding SeccompEbpf.slnx).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeccompEbpf.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
        }
    }

    public static string SourceDirectory => Path.Combine(RepositoryRoot, "bench", "notify");

    /// <summary>Compiles bench/notify/NAME.c; returns the binary's path.</summary>
    public static string Compile(string name, string outputDirectory, params string[] extraFlags)
    {
        var output = Path.Combine(outputDirectory, name);
        var start = new ProcessStartInfo("gcc", ["-O2", .. extraFlags, "-o", output, Path.Combine(SourceDirectory, name + ".c")]) { RedirectStandardError = true };
        using var gcc = Process.Start(start) ?? throw new InvalidOperationException("cannot start gcc");
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0) throw new InvalidOperationException($"gcc {name}.c failed:\n{errors}");
        return output;
    }

    /// <summary>Compiles bench/notify/NAME.c to a BPF object with clang-19 (headers from examples/filters).</summary>
    public static string CompileFilter(string name, string outputDirectory, params string[] defines)
    {
        var output = Path.Combine(outputDirectory, $"{name}-{Math.Abs(string.Join(" ", defines).GetHashCode()):x}.o");
        var examples = Path.Combine(SourceDirectory, "..", "..", "examples", "filters");
        var start = new ProcessStartInfo("clang-19", ["-O2", "-g", "-target", "bpf", "-mcpu=v3", "-I", examples, .. defines.Select(d => "-D" + d),
            "-c", Path.Combine(SourceDirectory, name + ".c"), "-o", output]) { RedirectStandardError = true };
        using var clang = Process.Start(start) ?? throw new InvalidOperationException("cannot start clang-19");
        var errors = clang.StandardError.ReadToEnd();
        clang.WaitForExit();
        if (clang.ExitCode != 0) throw new InvalidOperationException($"clang-19 {name}.c failed:\n{errors}");
        return output;
    }
}
