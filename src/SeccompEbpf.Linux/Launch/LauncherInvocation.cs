namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// How to start the launcher child: the program and the arguments before <c>__launch</c>.
/// Normally the running <c>seccomp-ebpf</c> itself (an apphost or NativeAOT binary, or
/// <c>dotnet seccomp-ebpf.dll</c>); tests and benchmarks point it at the CLI assembly.
/// </summary>
public sealed record LauncherInvocation(string Executable, IReadOnlyList<string> PrefixArguments)
{
    /// <summary>
    /// The file name of an optional NativeAOT build of seccomp-ebpf placed next to the CLI: when
    /// present it is used as the launcher child, which then starts in milliseconds instead of
    /// paying a second runtime start-up (`dotnet publish src/SeccompEbpf.Cli -r linux-x64
    /// -p:PublishAot=true` and copy the binary under this name).
    /// </summary>
    public const string NativeLauncherFileName = "seccomp-ebpf-launcher";

    /// <summary>
    /// The NativeAOT launcher next to the CLI if there is one; otherwise re-executes the current
    /// process's program (with its entry assembly when it runs under the dotnet host).
    /// </summary>
    public static LauncherInvocation ForCurrentProcess()
    {
        var native = Path.Combine(AppContext.BaseDirectory, NativeLauncherFileName);
        if (File.Exists(native)) return new LauncherInvocation(native, []);
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the path of the running program");
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
#pragma warning disable IL3000 // only reached under the dotnet host, where assemblies have paths
            var assembly = System.Reflection.Assembly.GetEntryAssembly()?.Location;
#pragma warning restore IL3000
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
