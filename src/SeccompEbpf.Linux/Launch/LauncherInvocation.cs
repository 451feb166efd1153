namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// How to start the launcher child: the program and the arguments before <c>__launch</c>.
/// Normally the running <c>seccomp-ebpf</c> itself (an apphost or NativeAOT binary, or
/// <c>dotnet seccomp-ebpf.dll</c>); tests and benchmarks point it at the CLI assembly.
/// </summary>
public sealed record LauncherInvocation(string Executable, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>Re-executes the current process's program (with its entry assembly when it runs under the dotnet host).</summary>
    public static LauncherInvocation ForCurrentProcess()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the path of the running program");
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            var assembly = System.Reflection.Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(assembly)) throw new InvalidOperationException("running under dotnet without an entry assembly path");
            return ForAssembly(assembly, processPath);
        }
        return new LauncherInvocation(processPath, []);
    }

    /// <summary>Runs <c>dotnet ASSEMBLY</c> (the seccomp-ebpf CLI assembly).</summary>
    public static LauncherInvocation ForAssembly(string assemblyPath, string? dotnetPath = null) =>
        new(dotnetPath ?? FindDotnet(), [assemblyPath]);

    private static string FindDotnet()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        return CommandResolver.Resolve("dotnet") ?? throw new InvalidOperationException("cannot find 'dotnet' on PATH");
    }
}
