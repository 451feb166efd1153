using System.Text.RegularExpressions;

namespace SeccompEbpf.Linux.Tests.Docs;

/// <summary>
/// One command line as the documentation shows it, with what the documentation claims about it:
/// a trailing <c># fails...</c> comment means a non-zero exit (and an "(EPERM)" in it, that errno's
/// message in the output); text in double quotes in the comment must appear in the output; lines
/// printed under a --help example are its exact standard output. Anything else must exit 0.
/// </summary>
public sealed partial record DocumentedCommand(string Source, int Line, string Text, string? Comment, IReadOnlyList<string> ExpectedStdout)
{
    /// <summary>The shell command: the line without its trailing comment.</summary>
    public string Command => Text;

    public bool ShouldFail => Comment?.StartsWith("fails", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Texts the output (standard output and error) must contain.</summary>
    public IEnumerable<string> ClaimedOutput => Comment is null ? [] : Quoted().Matches(Comment).Select(m => m.Groups[1].Value);

    /// <summary>Errno names a "fails: ... (EPERM)" comment names.</summary>
    public IEnumerable<string> ClaimedErrnos => ShouldFail ? ErrnoName().Matches(Comment!).Select(m => m.Groups[1].Value) : [];

    public string Where => $"{Source}:{Line}";

    public override string ToString() => Comment is null ? $"{Where}: {Text}" : $"{Where}: {Text}   # {Comment}";

    /// <summary>Splits "CMD   # comment" at the first '#' that starts a word outside quotes.</summary>
    public static (string Command, string? Comment) SplitComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '\'' or '"') quote = c;
            else if (c == '#' && i > 0 && char.IsWhiteSpace(line[i - 1]))
                return (line[..i].TrimEnd(), line[(i + 1)..].Trim());
        }
        return (line.TrimEnd(), null);
    }

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\((E[A-Z0-9]+)\)")]
    private static partial Regex ErrnoName();
}
