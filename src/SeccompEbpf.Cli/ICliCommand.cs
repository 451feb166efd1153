namespace SeccompEbpf.Cli;

/// <summary>One sub-command of <c>seccomp-ebpf</c>. Each lives in its own file under Commands/.</summary>
public interface ICliCommand
{
    /// <summary>The word after <c>seccomp-ebpf</c>, e.g. "asm".</summary>
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The full text printed by <c>seccomp-ebpf NAME --help</c>: usage, options, examples.</summary>
    string Help { get; }

    /// <summary>
    /// The options it takes (parsed by <see cref="CliArgs"/>, completed by the shell scripts); each one
    /// is in <see cref="Help"/>. Built when asked (a property, not a field): every command is constructed
    /// at start-up, and some syntaxes name all 23 ABIs, whose tables `run` must not pay for.
    /// </summary>
    CommandSyntax Syntax { get; }

    /// <summary>Runs the command; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    int Run(string[] args, TextWriter stdout, TextWriter stderr);
}
