namespace SeccompEbpf.Cli;

/// <summary>Thrown by argument parsing; turned into a usage message and exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
