using SeccompEbpf.Cli.Completion;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf completion SHELL</c>: prints the shell completion script.</summary>
public sealed class CompletionCommand : ICliCommand
{
    public string Name => "completion";
    public string Summary => "print the shell completion script for bash, zsh or fish";
    public string Help => """
        Usage: seccomp-ebpf completion bash|zsh|fish

        Prints a script that completes commands, options, their values (formats, ABIs, loaders,
        system-call names) and file names:
          bash  source <(seccomp-ebpf completion bash), or save it as /etc/bash_completion.d/seccomp-ebpf
          zsh   eval "$(seccomp-ebpf completion zsh)" in ~/.zshrc (uses zsh's bashcompinit)
          fish  seccomp-ebpf completion fish > ~/.config/fish/completions/seccomp-ebpf.fish

        Examples:
          seccomp-ebpf completion bash > seccomp-ebpf.bash && bash -n seccomp-ebpf.bash
          seccomp-ebpf completion fish | grep -c 'complete -c seccomp-ebpf'
        """;

    public CommandSyntax Syntax => new([]) { Verbs = CompletionScripts.Shells, Arguments = CompletionKind.None };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        if (cli.Positional.Count != 1) throw new CliUsageException("give the shell: bash, zsh or fish");
        var shell = cli.Positional[0];
        if (!CompletionScripts.Shells.Contains(shell))
            throw new CliUsageException($"no completion for '{shell}'{Bpf.NearestName.Hint(shell, CompletionScripts.Shells)} (bash, zsh, fish)");
        stdout.Write(CompletionScripts.For(shell));
        return ExitCodes.Ok;
    }
}
