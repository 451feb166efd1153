namespace SeccompEbpf.Cli;

/// <summary>
/// A small, predictable argument parser: options are <c>--name value</c> or <c>--name=value</c>,
/// flags are <c>--name</c>, everything else is positional, and <c>--</c> ends options.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new();
    private readonly HashSet<string> _flags = new();
    private readonly HashSet<string> _used = new();
    private readonly List<(string Name, string Value)> _inOrder = new();

    public List<string> Positional { get; } = new();

    /// <summary>Arguments after <c>--</c>, untouched (e.g. the command to run).</summary>
    public string[] Rest { get; private set; } = [];

    /// <param name="flagNames">options that take no value, e.g. "--json".</param>
    public CliArgs(string[] args, params string[] flagNames)
    {
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") { Rest = args[(i + 1)..]; break; }
            if (a.StartsWith("--") && a.Length > 2)
            {
                var eq = a.IndexOf('=');
                var name = eq > 0 ? a[..eq] : a;
                if (flagNames.Contains(name))
                {
                    if (eq > 0) throw new CliUsageException($"{name} takes no value");
                    _flags.Add(name);
                    continue;
                }
                string value;
                if (eq > 0) value = a[(eq + 1)..];
                else if (i + 1 < args.Length) value = args[++i];
                else throw new CliUsageException($"{name} needs a value");
                if (!_options.TryGetValue(name, out var list)) _options[name] = list = new();
                list.Add(value);
                _inOrder.Add((name, value));
            }
            else Positional.Add(a);
        }
    }

    public bool Flag(string name) { _used.Add(name); return _flags.Contains(name); }

    public string? Option(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v[^1] : null;
    }

    public IReadOnlyList<string> Options(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v : [];
    }

    public string Option(string name, string fallback) => Option(name) ?? fallback;

    /// <summary>The values of several options in command-line order (where the order has a meaning, as in a filter stack).</summary>
    public IReadOnlyList<(string Name, string Value)> InOrder(params string[] names)
    {
        foreach (var name in names) _used.Add(name);
        return _inOrder.Where(o => names.Contains(o.Name)).ToList();
    }

    /// <summary>Call after reading every option: rejects options the command does not know.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _options.Keys.Concat(_flags))
            if (!_used.Contains(name))
                throw new CliUsageException($"unknown option {name}");
    }
}
