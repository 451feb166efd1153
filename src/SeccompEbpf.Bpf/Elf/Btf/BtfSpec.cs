namespace SeccompEbpf.Bpf.Elf.Btf;

/// <summary>
/// The parsed .BTF section of one object: its types by id (index 0 stands for void) and the
/// questions a loader asks of them (sizes, following typedefs and qualifiers).
/// </summary>
public sealed class BtfSpec
{
    /// <summary>How many typedef/qualifier/array links a lookup follows before giving up (the kernel uses 32).</summary>
    public const int MaxResolveDepth = 32;

    private readonly IReadOnlyList<BtfType?> _types;

    internal BtfSpec(IReadOnlyList<BtfType?> types, ReadOnlyMemory<byte> strings)
    {
        _types = types;
        Strings = strings;
    }

    /// <summary>The number of type ids including void (id 0).</summary>
    public int Count => _types.Count;

    /// <summary>The string section, for .BTF.ext lookups.</summary>
    internal ReadOnlyMemory<byte> Strings { get; }

    public IEnumerable<BtfType> Types => _types.Skip(1).OfType<BtfType>();

    /// <summary>The type with this id, or null for void and unknown ids.</summary>
    public BtfType? this[int id] => id > 0 && id < _types.Count ? _types[id] : null;

    public string? StringAt(uint offset) => ElfReader.ReadString(Strings.Span, offset);

    public BtfDataSec? FindDataSec(string name) => Types.OfType<BtfDataSec>().FirstOrDefault(d => d.Name == name);

    /// <summary>Follows TYPEDEF and qualifiers (CONST, VOLATILE, RESTRICT, TYPE_TAG) to the type they name.</summary>
    public BpfResult<BtfType> SkipModifiers(int id)
    {
        for (int depth = 0; depth < MaxResolveDepth; depth++)
        {
            var t = this[id];
            if (t is null) return new BpfError($"BTF: type id {id} does not exist or is void (there are {Count - 1} types)");
            if (t is BtfReference r && (r.IsQualifier || r.Kind == BtfKind.Typedef)) { id = r.TargetId; continue; }
            return t;
        }
        return new BpfError($"BTF: type id {id}: more than {MaxResolveDepth} typedef/qualifier links (a loop?)");
    }

    /// <summary>The size in bytes of a type, as sizeof() would give it.</summary>
    public BpfResult<ulong> SizeOf(int id)
    {
        ulong multiplier = 1;
        for (int depth = 0; depth < MaxResolveDepth; depth++)
        {
            var resolved = SkipModifiers(id);
            if (!resolved.IsOk) return resolved.Error!;
            switch (resolved.Value)
            {
                case BtfInt i: return multiplier * i.Size;
                case BtfFloat f: return multiplier * f.Size;
                case BtfEnum e: return multiplier * e.Size;
                case BtfComposite c: return multiplier * c.Size;
                case BtfDataSec d: return multiplier * d.Size;
                case BtfReference { Kind: BtfKind.Ptr }: return multiplier * 8;
                case BtfVar v: id = v.TypeId; continue;
                case BtfArray a:
                    // Sizes are capped far below overflow: a BPF object cannot describe more than 4 GiB.
                    multiplier *= a.ElementCount;
                    if (multiplier > uint.MaxValue) return new BpfError($"BTF: {a.Describe()} is larger than 4 GiB");
                    id = a.ElementTypeId;
                    continue;
                case var other:
                    return new BpfError($"BTF: {other.Describe()} has no size");
            }
        }
        return new BpfError($"BTF: type id {id}: more than {MaxResolveDepth} nested arrays (a loop?)");
    }

    /// <summary>A short C-like name for messages: "struct exec_state", "__u32", "int".</summary>
    public string NameOf(int id)
    {
        var t = this[id];
        return t switch
        {
            null => id == 0 ? "void" : $"<bad type id {id}>",
            BtfComposite c => $"{(c.Kind == BtfKind.Union ? "union" : "struct")} {(c.Name.Length > 0 ? c.Name : "(anon)")}",
            BtfEnum e => $"enum {(e.Name.Length > 0 ? e.Name : "(anon)")}",
            BtfFwd f => $"{(f.IsUnion ? "union" : "struct")} {f.Name}",
            _ when t.Name.Length > 0 => t.Name,
            _ => t.Describe(),
        };
    }
}
