namespace SeccompEbpf.Bpf.Conformance;

/// <summary>
/// One <c>-- name</c> section of a conformance <c>.data</c> file. <see cref="Lines"/> are the
/// section's lines exactly as written (comments included), and <see cref="FirstLine"/> is the
/// 1-based file line of <c>Lines[0]</c>, so errors inside a section can point at the file.
/// </summary>
public sealed record ConformanceSection(string Name, int HeaderLine, IReadOnlyList<string> Lines)
{
    public int FirstLine => HeaderLine + 1;

    /// <summary>The section as one text block (lines joined with '\n').</summary>
    public string Text => string.Join('\n', Lines);
}
