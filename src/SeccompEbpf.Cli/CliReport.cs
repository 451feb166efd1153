namespace SeccompEbpf.Cli;

/// <summary>
/// What a command says on standard error besides its errors, as --quiet and --verbose ask:
/// warnings and notes unless --quiet, details only with --verbose. Errors are always printed.
/// </summary>
public sealed class CliReport(string command, TextWriter stderr, bool quiet, bool verbose)
{
    public CliReport(string command, TextWriter stderr, CliArgs cli) : this(command, stderr, cli.Quiet, cli.Verbose) { }

    public void Warning(string message)
    {
        if (!quiet) stderr.WriteLine($"seccomp-ebpf {command}: warning: {message}");
    }

    /// <summary>What was done ("wrote 12 instructions to f.bpf"): useful, not needed.</summary>
    public void Note(string message)
    {
        if (!quiet) stderr.WriteLine(message);
    }

    public void Detail(string message)
    {
        if (verbose) stderr.WriteLine($"seccomp-ebpf {command}: {message}");
    }

    public void Error(string message) => stderr.WriteLine($"seccomp-ebpf {command}: {message}");
}
