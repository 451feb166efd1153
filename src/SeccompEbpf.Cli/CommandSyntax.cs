namespace SeccompEbpf.Cli;

/// <summary>
/// What a command's command line may hold: its options (the options every command takes are added
/// by <see cref="CliArgs"/>), and what its arguments are, for completion.
/// </summary>
public sealed record CommandSyntax(IReadOnlyList<CliOption> Options)
{
    /// <summary>The words a first argument may be (cbpf's check/disasm/convert); none: arguments are files.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = [];

    public CompletionKind Arguments { get; init; } = CompletionKind.File;

    /// <summary>The options every command takes.</summary>
    public static readonly IReadOnlyList<CliOption> Common =
    [
        CliOption.Flag("--help", "-h"),
        CliOption.Flag("--quiet", "-q"),
        CliOption.Flag("--verbose", "-v"),
    ];

    /// <summary>The help lines of <see cref="Common"/>, printed by `seccomp-ebpf --help`.</summary>
    public const string CommonHelp = """
          -h, --help       this command's help (also: seccomp-ebpf help COMMAND)
          -q, --quiet      no warnings or notes on standard error, errors only
          -v, --verbose    more detail on standard error (e.g. every name a profile's ABIs lack)
        """;

    public IEnumerable<CliOption> AllOptions => Options.Concat(Common);
}
