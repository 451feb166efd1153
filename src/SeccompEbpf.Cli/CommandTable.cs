namespace SeccompEbpf.Cli;

/// <summary>Every sub-command, in the order `seccomp-ebpf --help` lists them. Add one line per command.</summary>
public static class CommandTable
{
    public static readonly ICliCommand[] All =
    [
        new Commands.RunCommand(),
        new Commands.AsmCommand(),
        new Commands.DisasmCommand(),
        new Commands.ExecCommand(),
        new Commands.SimulateCommand(),
        new Commands.CbpfCommand(),
        new Commands.ObjdumpCommand(),
        new Commands.CompileCommand(),
        new Commands.InspectCommand(),
        new Commands.VerifyCommand(),
        new Commands.PlanCommand(),
        new Commands.SyscallsCommand(),
        new Commands.HelpCommand(),
        new Commands.CompletionCommand(),
    ];
}
