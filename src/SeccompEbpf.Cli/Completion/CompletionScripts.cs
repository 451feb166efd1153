using System.Text;

namespace SeccompEbpf.Cli.Completion;

/// <summary>
/// Shell completion scripts generated from the commands' <see cref="CommandSyntax"/>: every command,
/// option, choice and file argument comes from the same declarations the parser reads, so a new
/// option completes without touching this file. System-call names come from `seccomp-ebpf syscalls`.
/// </summary>
public static class CompletionScripts
{
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish"];

    public static string For(string shell) => shell switch
    {
        "bash" => Bash(),
        "zsh" => Zsh(),
        "fish" => Fish(),
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "bash, zsh or fish"),
    };

    private const string SyscallNames = "seccomp-ebpf syscalls 2>/dev/null | cut -d' ' -f2";

    public static string Bash()
    {
        var s = new StringBuilder();
        s.Append("# bash completion for seccomp-ebpf: source it, or install it as /etc/bash_completion.d/seccomp-ebpf\n");
        s.Append("#   seccomp-ebpf completion bash > /etc/bash_completion.d/seccomp-ebpf\n");
        s.Append("_seccomp_ebpf() {\n");
        s.Append("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"${COMP_WORDS[1]}\" i\n");
        s.Append("  COMPREPLY=()\n");
        s.Append($"  if (( COMP_CWORD == 1 )); then COMPREPLY=( $(compgen -W \"{string.Join(' ', CommandTable.All.Select(c => c.Name))} --help --version\" -- \"$cur\") ); return; fi\n");
        s.Append("  for (( i = 2; i < COMP_CWORD; i++ )); do\n");
        s.Append("    if [[ ${COMP_WORDS[i]} == -- ]]; then\n");
        s.Append("      if (( i == COMP_CWORD - 1 )); then COMPREPLY=( $(compgen -c -- \"$cur\") ); else COMPREPLY=( $(compgen -f -- \"$cur\") ); fi\n");
        s.Append("      return\n    fi\n  done\n");
        s.Append("  case \"$cmd $prev\" in\n");
        foreach (var command in CommandTable.All)
            foreach (var option in command.Syntax.AllOptions.Where(o => o.TakesValue))
                s.Append($"    \"{command.Name} {option.Name}\"{(option.Short is { } sh ? $" | \"{command.Name} {sh}\"" : "")}) {BashValue(option)}; return ;;\n");
        s.Append("  esac\n");
        s.Append("  case \"$cmd\" in\n");
        foreach (var command in CommandTable.All)
        {
            var options = string.Join(' ', command.Syntax.AllOptions.Select(o => o.Name));
            s.Append($"    {command.Name}) if [[ $cur == -* ]]; then COMPREPLY=( $(compgen -W \"{options}\" -- \"$cur\") ); ");
            s.Append(command.Syntax.Verbs.Count > 0
                ? $"elif (( COMP_CWORD == 2 )); then COMPREPLY=( $(compgen -W \"{string.Join(' ', command.Syntax.Verbs)}\" -- \"$cur\") ); else COMPREPLY=( $(compgen -f -- \"$cur\") ); fi ;;\n"
                : $"else {BashArguments(command.Syntax.Arguments)}; fi ;;\n");
        }
        s.Append("  esac\n}\n");
        s.Append("complete -o filenames -F _seccomp_ebpf seccomp-ebpf\n");
        return s.ToString();
    }

    private static string BashValue(CliOption option) => option.Completes switch
    {
        CompletionKind.File => "COMPREPLY=( $(compgen -f -- \"$cur\") )",
        CompletionKind.Directory => "COMPREPLY=( $(compgen -d -- \"$cur\") )",
        CompletionKind.Choices => $"COMPREPLY=( $(compgen -W \"{string.Join(' ', option.Choices)}\" -- \"$cur\") )",
        CompletionKind.Syscall => $"COMPREPLY=( $(compgen -W \"$({SyscallNames})\" -- \"$cur\") )",
        CompletionKind.Program => "COMPREPLY=( $(compgen -c -- \"$cur\") )",
        _ => "COMPREPLY=()",
    };

    private static string BashArguments(CompletionKind kind) => BashValue(new CliOption("argument", "VALUE") { Completes = kind });

    /// <summary>zsh runs the bash function through bashcompinit (part of zsh): one script to keep right, not two.</summary>
    public static string Zsh() =>
        "#compdef seccomp-ebpf\n# zsh completion for seccomp-ebpf: eval \"$(seccomp-ebpf completion zsh)\" in ~/.zshrc\n" +
        "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" +
        string.Join('\n', Bash().Split('\n').Where(l => !l.StartsWith('#')));

    public static string Fish()
    {
        var s = new StringBuilder();
        s.Append("# fish completion for seccomp-ebpf: seccomp-ebpf completion fish > ~/.config/fish/completions/seccomp-ebpf.fish\n");
        s.Append("complete -c seccomp-ebpf -f\n");
        var names = string.Join(' ', CommandTable.All.Select(c => c.Name));
        foreach (var command in CommandTable.All)
            s.Append($"complete -c seccomp-ebpf -n \"not __fish_seen_subcommand_from {names}\" -a {command.Name} -d {FishQuote(command.Summary)}\n");
        foreach (var command in CommandTable.All)
        {
            var when = $"-n \"__fish_seen_subcommand_from {command.Name}\"";
            foreach (var option in command.Syntax.AllOptions)
            {
                s.Append($"complete -c seccomp-ebpf {when} -l {option.Name[2..]}");
                if (option.Short is { } sh) s.Append($" -s {sh[1..]}");
                s.Append(option.Completes switch
                {
                    _ when !option.TakesValue => "",
                    CompletionKind.File or CompletionKind.Directory => " -r -F",
                    CompletionKind.Choices => $" -x -a {FishQuote(string.Join(' ', option.Choices))}",
                    CompletionKind.Syscall => $" -x -a \"({SyscallNames})\"",
                    _ => " -x",
                });
                s.Append('\n');
            }
            if (command.Syntax.Verbs.Count > 0)
                s.Append($"complete -c seccomp-ebpf {when} -a {FishQuote(string.Join(' ', command.Syntax.Verbs))}\n");
            else if (command.Syntax.Arguments is CompletionKind.File) s.Append($"complete -c seccomp-ebpf {when} -F\n");
            else if (command.Syntax.Arguments is CompletionKind.Syscall) s.Append($"complete -c seccomp-ebpf {when} -a \"({SyscallNames})\"\n");
            else if (command.Syntax.Arguments is CompletionKind.Program) s.Append($"complete -c seccomp-ebpf {when} -a \"(__fish_complete_subcommand --fcs-skip=2)\"\n");
        }
        return s.ToString();
    }

    private static string FishQuote(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
