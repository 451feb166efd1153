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

    /// <summary>
    /// The programs the line starts: the first word of each pipeline stage outside quotes, and the
    /// command a `run ... -- CMD` hands the sandbox (so a missing one is reported, not mistaken for a failure).
    /// </summary>
    public IEnumerable<string> Programs
    {
        get
        {
            var words = Words(Text);
            bool stageStart = true;
            for (int i = 0; i < words.Count; i++)
            {
                var (word, quoted) = words[i];
                if (!quoted && word is "|" or ";" or "&&" or "||") { stageStart = true; continue; }
                if (stageStart) { stageStart = false; yield return word; }
                else if (!quoted && word == "--" && i + 1 < words.Count) yield return words[i + 1].Word;
            }
        }
    }

    // Shell words, roughly: quotes group, and the separators above stand alone.
    private static List<(string Word, bool Quoted)> Words(string text)
    {
        var words = new List<(string, bool)>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        char quote = '\0';
        void Flush() { if (current.Length > 0) words.Add((current.ToString(), quoted)); current.Clear(); quoted = false; }
        foreach (char c in text)
        {
            if (quote != '\0') { if (c == quote) quote = '\0'; else current.Append(c); continue; }
            if (c is '\'' or '"') { quote = c; quoted = true; continue; }
            if (char.IsWhiteSpace(c)) { Flush(); continue; }
            if (c is '|' or ';' or '&') { Flush(); words.Add((c.ToString(), false)); continue; }
            current.Append(c);
        }
        Flush();
        // "&&" and "||" arrive as two one-character words: join them.
        for (int i = words.Count - 1; i > 0; i--)
            if (words[i].Item1 is "&" or "|" && words[i - 1].Item1 == words[i].Item1) { words[i - 1] = (words[i].Item1 + words[i].Item1, false); words.RemoveAt(i); }
        return words;
    }

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
