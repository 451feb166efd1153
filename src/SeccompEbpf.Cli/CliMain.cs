using SeccompEbpf.Bpf;

namespace SeccompEbpf.Cli;

/// <summary>Dispatches to a sub-command; prints the overview for no arguments or --help.</summary>
public static class CliMain
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            PrintOverview(stdout);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        if (args[0] == "--version")
        {
            stdout.WriteLine($"seccomp-ebpf {typeof(CliMain).Assembly.GetName().Version}");
            return ExitCodes.Ok;
        }

        var command = Find(args[0]);
        if (command is null)
        {
            stderr.WriteLine($"seccomp-ebpf: unknown command '{args[0]}'{NearestName.Hint(args[0], CommandTable.All.Select(c => c.Name))}. Run 'seccomp-ebpf --help' for the list.");
            return ExitCodes.Usage;
        }
        var rest = args[1..];
        int end = Array.IndexOf(rest, "--");
        if (rest.Take(end < 0 ? rest.Length : end).Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(command.Help);
            return ExitCodes.Ok;
        }
        try
        {
            return command.Run(rest, stdout, stderr);
        }
        catch (CliUsageException e)
        {
            stderr.WriteLine($"seccomp-ebpf {command.Name}: {e.Message}");
            stderr.WriteLine($"Run 'seccomp-ebpf {command.Name} --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (CliInputException e)
        {
            stderr.WriteLine($"seccomp-ebpf {command.Name}: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Every file goes through CliFiles; this is the net under it, still in our words.
            stderr.WriteLine($"seccomp-ebpf {command.Name}: a file could not be read or written ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})");
            return ExitCodes.SystemError;
        }
    }

    /// <summary>The command named <paramref name="name"/>, or null.</summary>
    public static ICliCommand? Find(string name) => CommandTable.All.FirstOrDefault(c => c.Name == name);

    public static void PrintOverview(TextWriter stdout)
    {
        stdout.WriteLine("seccomp-ebpf: programmable (eBPF) system-call filtering for Linux");
        stdout.WriteLine();
        stdout.WriteLine("Usage: seccomp-ebpf COMMAND [OPTIONS]   (seccomp-ebpf help COMMAND, or COMMAND --help, for details)");
        stdout.WriteLine();
        stdout.WriteLine("Commands:");
        foreach (var c in CommandTable.All)
            stdout.WriteLine($"  {c.Name,-12} {c.Summary}");
        stdout.WriteLine();
        stdout.WriteLine("Options of every command:");
        stdout.Write(CommandSyntax.CommonHelp);
        stdout.WriteLine();
        stdout.WriteLine("A file argument may be '-' for standard input, and -o - writes to standard output.");
        stdout.WriteLine("Exit codes: 0 ok, 1 rejected, 2 usage error, 3 bad input, 4 run-time error, 5 system error.");
    }
}
