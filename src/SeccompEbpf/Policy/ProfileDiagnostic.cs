namespace SeccompEbpf.Policy;

/// <summary>A problem found in a profile, located by its JSON path (e.g. $.syscalls[3].args[0].op).</summary>
public sealed record ProfileDiagnostic(string Path, string Message, DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    public override string ToString() => $"{(Severity == DiagnosticSeverity.Error ? "error" : "warning")}: {Path}: {Message}";
}

public enum DiagnosticSeverity { Error, Warning }
