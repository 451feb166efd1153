using SeccompEbpf.Policy.Access;

namespace SeccompEbpf.Cli.Commands;

/// <summary>
/// The static access rules of `run` (enforced by Landlock on resolved objects, so no argument race
/// gets around them): --fs-read/--fs-write/--fs-exec PATH, --fs-system, --tcp-bind/--tcp-connect PORT.
/// </summary>
internal static class AccessRuleOptions
{
    public const string Help = """
          --fs-read PATH             allow reading PATH (a file, or a directory and everything beneath it)
          --fs-write PATH            allow reading and writing (create, remove, rename, truncate) beneath PATH
          --fs-exec PATH             allow reading and executing beneath PATH
          --fs-system                what ordinary programs need: read+exec /usr /bin /sbin /lib* /etc /opt,
                                     read /proc /sys /dev, write /dev/null /dev/tty /dev/pts /dev/shm ...
                                     Once any --fs-* is given, every other file access is refused (EACCES),
                                     whichever call or ABI asks: open, openat2, io_uring, int 0x80, exec...
          --tcp-bind PORT            allow binding TCP PORT; once given, every other TCP bind is refused
          --tcp-connect PORT         allow connecting to TCP PORT; once given, every other TCP connect is refused
        """;

    public static readonly IReadOnlyList<CliOption> Options =
    [
        CliOption.Value("--fs-read", "PATH").Many(),
        CliOption.Value("--fs-write", "PATH").Many(),
        CliOption.Value("--fs-exec", "PATH").Many(),
        CliOption.Flag("--fs-system"),
        CliOption.Value("--tcp-bind", "PORT").Many(),
        CliOption.Value("--tcp-connect", "PORT").Many(),
    ];

    public static AccessRules Parse(CliArgs cli)
    {
        var paths = new List<PathRule>();
        if (cli.Flag("--fs-system"))
            paths.AddRange(AccessRules.SystemPaths.Where(rule => Path.Exists(rule.Path)));
        AddPaths(paths, cli, "--fs-read", PathAccess.Read);
        AddPaths(paths, cli, "--fs-write", PathAccess.Read | PathAccess.Write);
        AddPaths(paths, cli, "--fs-exec", PathAccess.Read | PathAccess.Execute);
        var ports = new List<TcpPortRule>();
        AddPorts(ports, cli, "--tcp-bind", TcpAccess.Bind);
        AddPorts(ports, cli, "--tcp-connect", TcpAccess.Connect);
        return paths.Count == 0 && ports.Count == 0 ? AccessRules.None : new AccessRules(paths, ports);
    }

    private static void AddPaths(List<PathRule> rules, CliArgs cli, string option, PathAccess access)
    {
        foreach (var text in cli.Options(option))
        {
            var full = Path.GetFullPath(text);
            if (!Path.Exists(full)) throw new CliUsageException($"{option} {text}: no such file or directory (a rule can only name what exists)");
            rules.Add(new PathRule(full, access));
        }
    }

    private static void AddPorts(List<TcpPortRule> rules, CliArgs cli, string option, TcpAccess access)
    {
        foreach (var text in cli.Options(option))
        {
            if (!ushort.TryParse(text, out var port) || port == 0) throw new CliUsageException($"{option} takes a TCP port from 1 to 65535, got '{text}'");
            rules.Add(new TcpPortRule(port, access));
        }
    }
}
