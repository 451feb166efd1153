using SeccompEbpf.Bpf;

namespace SeccompEbpf.Cli;

/// <summary>
/// The one argument parser of every command, driven by the command's <see cref="CommandSyntax"/>:
/// <c>--name value</c>, <c>--name=value</c>, flags <c>--name</c>, short forms (<c>-o FILE</c>, and
/// flags together as <c>-qv</c>); <c>-</c> alone is an argument (standard input or output) and
/// <c>--</c> ends the options. Anything else that starts with '-' is an unknown option, reported
/// with the nearest known one; so a misspelt option is never taken as a file name.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, CliOption> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Value)> _inOrder = new();

    public List<string> Positional { get; } = new();

    /// <summary>Arguments after <c>--</c>, untouched (e.g. the command to run).</summary>
    public string[] Rest { get; private set; } = [];

    /// <summary>True when <c>--</c> was given (even with nothing after it).</summary>
    public bool HasRest { get; private set; }

    public CliArgs(string[] args, CommandSyntax syntax)
    {
        foreach (var option in syntax.AllOptions)
        {
            _byName[option.Name] = option;
            if (option.Short is { } s) _byName[s] = option;
        }
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") { Rest = args[(i + 1)..]; HasRest = true; break; }
            if (a.StartsWith("--", StringComparison.Ordinal)) i = ReadLong(args, i);
            else if (a.Length > 1 && a[0] == '-') i = ReadShort(args, i);
            else Positional.Add(a);
        }
    }

    public bool Quiet => Flag("--quiet");
    public bool Verbose => Flag("--verbose") && !Quiet;

    public bool Flag(string name) => Declared(name, flag: true) && _flags.Contains(name);

    /// <summary>The value of a once-only option, or null.</summary>
    public string? Option(string name)
    {
        Declared(name, flag: false);
        return _values.TryGetValue(name, out var v) ? v[0] : null;
    }

    public string Option(string name, string fallback) => Option(name) ?? fallback;

    /// <summary>Every value of a repeatable option, in command-line order.</summary>
    public IReadOnlyList<string> Options(string name)
    {
        Declared(name, flag: false);
        return _values.TryGetValue(name, out var v) ? v : [];
    }

    /// <summary>The values of several options in command-line order (where the order has a meaning, as in a filter stack); a flag's value is "".</summary>
    public IReadOnlyList<(string Name, string Value)> InOrder(params string[] names)
    {
        foreach (var name in names) _ = _byName.ContainsKey(name) ? name : throw Undeclared(name);
        return _inOrder.Where(o => names.Contains(o.Name)).ToList();
    }

    /// <summary>True when the option was given at all (a flag, or an option with a value).</summary>
    public bool Has(string name) => _flags.Contains(name) || _values.ContainsKey(name);

    private int ReadLong(string[] args, int i)
    {
        var a = args[i];
        var eq = a.IndexOf('=');
        var name = eq > 0 ? a[..eq] : a;
        var option = Find(name);
        if (!option.TakesValue)
        {
            if (eq > 0) throw new CliUsageException($"{name} takes no value");
            AddFlag(option);
            return i;
        }
        if (eq > 0) Add(option, a[(eq + 1)..]);
        else if (i + 1 < args.Length) Add(option, args[++i]);
        else throw new CliUsageException($"{name} needs a value ({name} {option.ValueName})");
        return i;
    }

    // -q, -qv (flags together), -o FILE (a value option last in the group takes the next argument).
    private int ReadShort(string[] args, int i)
    {
        var a = args[i];
        for (int c = 1; c < a.Length; c++)
        {
            var option = Find("-" + a[c], whole: a);
            if (!option.TakesValue) { AddFlag(option); continue; }
            if (c + 1 < a.Length) Add(option, a[(c + 1)..]); // -oFILE
            else if (i + 1 < args.Length) Add(option, args[++i]);
            else throw new CliUsageException($"-{a[c]} needs a value (-{a[c]} {option.ValueName})");
            break;
        }
        return i;
    }

    private CliOption Find(string name, string? whole = null)
    {
        if (_byName.TryGetValue(name, out var option)) return option;
        var typed = whole ?? name;
        var longNames = _byName.Values.Select(o => o.Name).Distinct();
        var near = NearestName.Find(typed, longNames) ?? (whole is not null && whole.Length > 2 ? NearestName.Find("-" + whole, longNames) : null);
        throw new CliUsageException(near is null ? $"unknown option {typed}" : $"unknown option {typed}, did you mean {near}?");
    }

    private void AddFlag(CliOption option)
    {
        _flags.Add(option.Name);
        _inOrder.Add((option.Name, ""));
    }

    private void Add(CliOption option, string value)
    {
        if (!option.Repeatable && _values.TryGetValue(option.Name, out var earlier))
            throw new CliUsageException($"{option.Name} given twice ('{earlier[0]}' and '{value}'): give it once");
        if (!_values.TryGetValue(option.Name, out var list)) _values[option.Name] = list = new();
        list.Add(value);
        _inOrder.Add((option.Name, value));
    }

    private bool Declared(string name, bool flag)
    {
        if (!_byName.TryGetValue(name, out var option) || option.TakesValue == flag) throw Undeclared(name);
        return true;
    }

    // A command reading an option its syntax does not declare is a bug in the command, not a user error.
    private static InvalidOperationException Undeclared(string name) =>
        new($"the command reads {name}, which its CommandSyntax does not declare (as a flag or as an option with a value)");
}
