using SeccompEbpf.Bpf;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf help [COMMAND]</c>: the overview or one command's help; <c>help --man</c>: all of it as a man page.</summary>
public sealed class HelpCommand : ICliCommand
{
    public string Name => "help";
    public string Summary => "the overview, a command's help (help COMMAND), or a man page (help --man)";
    public string Help => """
        Usage:
          seccomp-ebpf help [COMMAND]
          seccomp-ebpf help --man

        Without COMMAND, the list of commands (as seccomp-ebpf --help); with one, its help (as
        seccomp-ebpf COMMAND --help). --man prints every help text as a man page (roff).

        Examples:
          seccomp-ebpf help simulate | head -1                            # "Usage:"
          seccomp-ebpf help --man | head -1                                 # ".TH SECCOMP-EBPF 1"
        """;

    public CommandSyntax Syntax => new([CliOption.Flag("--man")])
    {
        Verbs = CommandTable.All.Select(c => c.Name).ToList(),
        Arguments = CompletionKind.None,
    };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        if (cli.Positional.Count > 1) throw new CliUsageException("give at most one COMMAND");
        if (cli.Flag("--man"))
        {
            if (cli.Positional.Count > 0) throw new CliUsageException("--man prints every command: give no COMMAND");
            stdout.Write(ManPage.Generate());
            return ExitCodes.Ok;
        }
        if (cli.Positional.Count == 1 && CliMain.Find(cli.Positional[0]) is { } topic)
        {
            stdout.WriteLine(topic.Help);
            return ExitCodes.Ok;
        }
        if (cli.Positional.Count == 1)
            stderr.WriteLine($"seccomp-ebpf help: no command '{cli.Positional[0]}'{NearestName.Hint(cli.Positional[0], CommandTable.All.Select(c => c.Name))}; the commands are:");
        CliMain.PrintOverview(stdout);
        return ExitCodes.Ok;
    }
}
