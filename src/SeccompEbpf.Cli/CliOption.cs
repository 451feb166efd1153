namespace SeccompEbpf.Cli;

/// <summary>What shell completion offers for an option's value or a command's arguments.</summary>
public enum CompletionKind { None, File, Directory, Choices, Syscall, Program }

/// <summary>
/// One option a command takes: its long name, an optional one-letter short form, and for options
/// with a value the value's name (as the help shows it) and what completes it.
/// </summary>
public sealed record CliOption(string Name, string? ValueName = null)
{
    /// <summary>"-o" for "--output"; null when the option has no short form.</summary>
    public string? Short { get; init; }

    /// <summary>May be given more than once (each value kept, in order); otherwise a second one is a usage error.</summary>
    public bool Repeatable { get; init; }

    public CompletionKind Completes { get; init; } = CompletionKind.None;

    /// <summary>The values completion offers when <see cref="Completes"/> is <see cref="CompletionKind.Choices"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    public bool TakesValue => ValueName is not null;

    public static CliOption Flag(string name, string? shortName = null) => new(name) { Short = shortName };

    /// <summary>An option with a value; a value named FILE, DIR or PATH completes as one.</summary>
    public static CliOption Value(string name, string valueName, string? shortName = null) => new(name, valueName)
    {
        Short = shortName,
        Completes = valueName.Contains("FILE") || valueName.Contains("PATH") ? CompletionKind.File
            : valueName.Contains("DIR") ? CompletionKind.Directory : CompletionKind.None,
    };

    public static CliOption OneOf(string name, string valueName, IEnumerable<string> choices, string? shortName = null) =>
        new(name, valueName) { Short = shortName, Completes = CompletionKind.Choices, Choices = choices.ToList() };

    public CliOption Many() => this with { Repeatable = true };
}
