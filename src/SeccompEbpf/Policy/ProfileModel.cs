namespace SeccompEbpf.Policy;

/// <summary>
/// An OCI runtime-spec seccomp profile (linux.seccomp) with Docker's extensions (archMap,
/// includes/excludes) and Podman's (errno names). Values are as written; meaning is given by
/// <see cref="PolicyResolver"/>.
/// </summary>
public sealed record SeccompProfile
{
    public required ProfileAction DefaultAction { get; init; }
    public uint? DefaultErrnoRet { get; init; }
    /// <summary>OCI "architectures": SCMP_ARCH_* names, kept as written (unsupported ones are reported at resolve time).</summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];
    public IReadOnlyList<ArchMapEntry> ArchMap { get; init; } = [];
    public IReadOnlyList<string> Flags { get; init; } = [];
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
    public IReadOnlyList<SyscallRule> Syscalls { get; init; } = [];
}

/// <summary>Docker's archMap entry: the native arch and the sub-architectures a filter for it also covers.</summary>
public sealed record ArchMapEntry(string Architecture, IReadOnlyList<string> SubArchitectures);

/// <summary>One entry of "syscalls": names, an action and argument conditions (ANDed).</summary>
public sealed record SyscallRule
{
    public required IReadOnlyList<string> Names { get; init; }
    public required ProfileAction Action { get; init; }
    public uint? ErrnoRet { get; init; }
    public IReadOnlyList<ArgCondition> Args { get; init; } = [];
    public string? Comment { get; init; }
    public RuleFilter Includes { get; init; } = RuleFilter.Empty;
    public RuleFilter Excludes { get; init; } = RuleFilter.Empty;
    /// <summary>The JSON path of this entry, e.g. $.syscalls[3], for messages.</summary>
    public string Path { get; init; } = "";
}

/// <summary>Docker's includes/excludes: capabilities, architectures, minimum kernel version.</summary>
public sealed record RuleFilter(IReadOnlyList<string> Caps, IReadOnlyList<string> Arches, KernelVersion? MinKernel)
{
    public static readonly RuleFilter Empty = new([], [], null);
    public bool IsEmpty => Caps.Count == 0 && Arches.Count == 0 && MinKernel is null;
}

/// <summary>A condition on one argument: args[Index] Op Value (MASKED_EQ: (arg &amp; Value) == ValueTwo).</summary>
public sealed record ArgCondition(int Index, ulong Value, ulong ValueTwo, ComparisonOperator Op);

public enum ComparisonOperator
{
    NotEqual,
    LessThan,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    GreaterThan,
    MaskedEqual,
}

public static class ComparisonOperatorNames
{
    private static readonly Dictionary<string, ComparisonOperator> ByName = new(StringComparer.Ordinal)
    {
        ["SCMP_CMP_NE"] = ComparisonOperator.NotEqual,
        ["SCMP_CMP_LT"] = ComparisonOperator.LessThan,
        ["SCMP_CMP_LE"] = ComparisonOperator.LessOrEqual,
        ["SCMP_CMP_EQ"] = ComparisonOperator.Equal,
        ["SCMP_CMP_GE"] = ComparisonOperator.GreaterOrEqual,
        ["SCMP_CMP_GT"] = ComparisonOperator.GreaterThan,
        ["SCMP_CMP_MASKED_EQ"] = ComparisonOperator.MaskedEqual,
    };

    public static bool TryParse(string name, out ComparisonOperator op) => ByName.TryGetValue(name, out op);

    public static string Name(this ComparisonOperator op) => ByName.First(kv => kv.Value == op).Key;

    public static IEnumerable<string> All => ByName.Keys;
}

/// <summary>A kernel version "major.minor" (Docker's minKernel).</summary>
public readonly record struct KernelVersion(int Major, int Minor) : IComparable<KernelVersion>
{
    public int CompareTo(KernelVersion other) => (Major, Minor).CompareTo((other.Major, other.Minor));
    public static bool operator <(KernelVersion a, KernelVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(KernelVersion a, KernelVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(KernelVersion a, KernelVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(KernelVersion a, KernelVersion b) => a.CompareTo(b) >= 0;

    /// <summary>Parses "5.8", "6.1.0-18-amd64" (the leading major.minor counts).</summary>
    public static bool TryParse(string text, out KernelVersion version)
    {
        version = default;
        var parts = text.Split('.', 3);
        if (parts.Length < 2 || !int.TryParse(parts[0], out var major)) return false;
        var minorDigits = new string(parts[1].TakeWhile(char.IsAsciiDigit).ToArray());
        if (minorDigits.Length == 0 || !int.TryParse(minorDigits, out var minor)) return false;
        version = new KernelVersion(major, minor);
        return true;
    }

    public override string ToString() => $"{Major}.{Minor}";
}
