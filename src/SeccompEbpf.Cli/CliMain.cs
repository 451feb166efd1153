namespace SeccompEbpf.Cli;

/// <summary>Dispatches to a sub-command; prints the overview for no arguments or --help.</summary>
public static class CliMain
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            if (args.Length > 1 && Find(args[1]) is { } topic)
            {
                stdout.WriteLine(topic.Help);
                return ExitCodes.Ok;
            }
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
            stderr.WriteLine($"seccomp-ebpf: unknown command '{args[0]}'. Run 'seccomp-ebpf --help' for the list.");
            return ExitCodes.Usage;
        }
        var rest = args[1..];
        if (rest.Any(a => a is "-h" or "--help") && !rest.Contains("--"))
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
        catch (IOException e)
        {
            stderr.WriteLine($"seccomp-ebpf {command.Name}: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"seccomp-ebpf {command.Name}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    private static ICliCommand? Find(string name) => CommandTable.All.FirstOrDefault(c => c.Name == name);

    private static void PrintOverview(TextWriter stdout)
    {
        stdout.WriteLine("seccomp-ebpf: programmable (eBPF) system-call filtering for Linux");
        stdout.WriteLine();
        stdout.WriteLine("Usage: seccomp-ebpf COMMAND [OPTIONS]   (seccomp-ebpf COMMAND --help for details)");
        stdout.WriteLine();
        stdout.WriteLine("Commands:");
        foreach (var c in CommandTable.All)
            stdout.WriteLine($"  {c.Name,-12} {c.Summary}");
        stdout.WriteLine();
        stdout.WriteLine("Exit codes: 0 ok, 1 rejected, 2 usage error, 3 bad input, 4 run-time error, 5 system error.");
    }
}
