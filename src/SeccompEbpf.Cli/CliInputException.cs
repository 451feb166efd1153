namespace SeccompEbpf.Cli;

/// <summary>
/// Thrown by the file layer for a file that cannot be used: an input missing, a directory, empty or
/// of the wrong kind (exit 3, bad input), or an output the system refuses (exit 5).
/// </summary>
public sealed class CliInputException(string message, int exitCode = ExitCodes.BadInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
