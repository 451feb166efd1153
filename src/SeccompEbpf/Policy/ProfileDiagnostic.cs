namespace SeccompEbpf.Policy;

/// <summary>A problem found in a profile, located by its JSON path (e.g. $.syscalls[3].args[0].op).</summary>
public sealed record ProfileDiagnostic(string Path, string Message, DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()}: {Path}: {Message}";
}

/// <summary>Error: the profile cannot be used. Warning: it can, but part of it means nothing. Note: an expected detail (e.g. a name one ABI lacks).</summary>
public enum DiagnosticSeverity { Error, Warning, Note }
