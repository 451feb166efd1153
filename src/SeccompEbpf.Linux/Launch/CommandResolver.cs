using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Linux.Launch;

/// <summary>Finds a command the way execvp does: a name with a slash is used as is, otherwise PATH is searched.</summary>
public static unsafe class CommandResolver
{
    /// <summary>The path to execute, or null when no executable file of that name is on PATH.</summary>
    public static string? Resolve(string command)
    {
        if (command.Length == 0) return null;
        if (command.Contains('/')) return command;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in path.Split(':'))
        {
            var candidate = Path.Combine(directory.Length == 0 ? "." : directory, command);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    private static bool IsExecutable(string path)
    {
        var native = NativeStrings.Utf8(path);
        try { return LibC.Access(native, LinuxConstants.X_OK) == 0; }
        finally { System.Runtime.InteropServices.NativeMemory.Free(native); }
    }
}
