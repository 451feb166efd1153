namespace SeccompEbpf.Policy.Access;

/// <summary>What a path rule grants beneath its path. Read covers listing directories; Write covers
/// creating, removing, renaming, linking and truncating; Execute covers running files.</summary>
[Flags]
public enum PathAccess
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}

/// <summary>A static grant on a file or a directory tree; whatever no rule grants is refused.</summary>
public sealed record PathRule(string Path, PathAccess Access)
{
    public override string ToString() => $"{Access.ToString().ToLowerInvariant().Replace(", ", "+")} {Path}";
}

public enum TcpAccess { Bind, Connect }

/// <summary>A TCP port the sandboxed program may bind or connect to; whatever no rule grants is refused.</summary>
public sealed record TcpPortRule(ushort Port, TcpAccess Access)
{
    public override string ToString() => $"tcp {Access.ToString().ToLowerInvariant()} {Port}";
}

/// <summary>
/// Access rules that depend on no state, so the kernel can check them on the resolved object itself
/// (Landlock on Linux) and no argument race can get around them. An empty list of a kind means that
/// kind is not restricted; a non-empty one is an allow-list.
/// </summary>
public sealed record AccessRules(IReadOnlyList<PathRule> Paths, IReadOnlyList<TcpPortRule> Ports)
{
    public static readonly AccessRules None = new([], []);

    public bool RestrictsFiles => Paths.Count > 0;

    public bool RestrictsTcp => Ports.Count > 0;

    public bool IsEmpty => !RestrictsFiles && !RestrictsTcp;

    /// <summary>
    /// What an ordinary dynamically linked program needs to start and run: its libraries, the loader's
    /// cache, locale and configuration (read and execute under the system directories), /proc, /sys
    /// and /dev to read, and the harmless devices to write. Directories this machine lacks are left out.
    /// </summary>
    public static IReadOnlyList<PathRule> SystemPaths { get; } =
    [
        .. new[] { "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt" }.Select(p => new PathRule(p, PathAccess.Read | PathAccess.Execute)),
        .. new[] { "/proc", "/sys", "/dev" }.Select(p => new PathRule(p, PathAccess.Read)),
        .. new[] { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/pts", "/dev/ptmx", "/dev/shm" }.Select(p => new PathRule(p, PathAccess.Read | PathAccess.Write)),
    ];
}
