using SeccompEbpf.Cli;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Linux.Tests.Docs;

/// <summary>
/// The command lines of the documentation: every line of the code blocks (fenced or indented) of
/// README.md and examples/**/README.md, and every line of each `--help` "Examples:" block (lines
/// indented deeper under an example are its output). Inline code in prose is not a command line.
/// </summary>
public static class DocumentedCommands
{
    public const string HelpPrefix = "seccomp-ebpf ";

    /// <summary>The documents, by the name the tests show: "README.md", "examples/filters/README.md", "seccomp-ebpf run --help".</summary>
    public static IReadOnlyList<string> Sources() =>
    [
        "README.md",
        .. Directory.EnumerateFiles(Path.Combine(SharedData.RepositoryRoot, "examples"), "README.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(SharedData.RepositoryRoot, p).Replace('\\', '/')).Order(),
        .. CommandTable.All.Select(c => $"{HelpPrefix}{c.Name} --help"),
    ];

    public static IReadOnlyList<DocumentedCommand> Of(string source) => source.StartsWith(HelpPrefix, StringComparison.Ordinal)
        ? FromHelp(source, CommandTable.All.Single(c => source == $"{HelpPrefix}{c.Name} --help").Help)
        : FromMarkdown(source, File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, source)));

    public static IReadOnlyList<DocumentedCommand> FromMarkdown(string source, string text)
    {
        var lines = text.Replace("\r", "").Split('\n');
        var commands = new List<DocumentedCommand>();
        bool fenced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
            // An indented code block starts after a blank line and goes on while lines stay indented.
            bool indentedBlock = !fenced && line.StartsWith("    ", StringComparison.Ordinal)
                && (i == 0 || lines[i - 1].Trim().Length == 0 || lines[i - 1].StartsWith("    ", StringComparison.Ordinal));
            if ((fenced || indentedBlock) && line.Trim().Length > 0) commands.Add(Command(source, i + 1, line.Trim(), []));
        }
        return commands;
    }

    public static IReadOnlyList<DocumentedCommand> FromHelp(string source, string help)
    {
        var lines = help.Replace("\r", "").Split('\n');
        int start = Array.FindIndex(lines, l => l.Trim() == "Examples:");
        if (start < 0) return [];
        var commands = new List<(int Line, string Text, List<string> Output)>();
        int indent = -1;
        for (int i = start + 1; i < lines.Length && lines[i].Trim().Length > 0; i++)
        {
            int at = lines[i].Length - lines[i].TrimStart().Length;
            if (indent < 0) indent = at;
            if (at > indent && commands.Count > 0) commands[^1].Output.Add(lines[i].Trim());
            else commands.Add((i + 1, lines[i].Trim(), []));
        }
        return commands.Select(c => Command(source, c.Line, c.Text, c.Output)).ToList();
    }

    private static DocumentedCommand Command(string source, int line, string text, IReadOnlyList<string> output)
    {
        var (command, comment) = DocumentedCommand.SplitComment(text);
        return new DocumentedCommand(source, line, command, comment, output);
    }
}
