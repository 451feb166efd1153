namespace SeccompEbpf.Bpf.Elf.Btf;

/// <summary>
/// One BTF type. <see cref="Id"/> is its 1-based position in the type section (0 is void);
/// references between types are ids, resolved through <see cref="BtfSpec"/>.
/// </summary>
public abstract record BtfType(int Id, BtfKind Kind, string Name)
{
    public string Describe() => Name.Length == 0 ? $"{KindName} (anon) [{Id}]" : $"{KindName} '{Name}' [{Id}]";

    public string KindName => Kind switch
    {
        BtfKind.FuncProto => "FUNC_PROTO",
        BtfKind.DataSec => "DATASEC",
        BtfKind.DeclTag => "DECL_TAG",
        BtfKind.TypeTag => "TYPE_TAG",
        _ => Kind.ToString().ToUpperInvariant(),
    };
}

/// <summary>INT: <see cref="Encoding"/> bit 0 signed, bit 1 char, bit 2 bool.</summary>
public sealed record BtfInt(int Id, string Name, uint Size, byte Encoding, byte BitOffset, byte Bits)
    : BtfType(Id, BtfKind.Int, Name)
{
    public bool IsSigned => (Encoding & 1) != 0;
}

public sealed record BtfFloat(int Id, string Name, uint Size) : BtfType(Id, BtfKind.Float, Name);

/// <summary>PTR, TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG: a name (maybe empty) over another type.</summary>
public sealed record BtfReference(int Id, BtfKind Kind, string Name, int TargetId) : BtfType(Id, Kind, Name)
{
    /// <summary>True for the kinds that do not change size or meaning (everything but PTR and TYPEDEF's name).</summary>
    public bool IsQualifier => Kind is BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag;
}

public sealed record BtfArray(int Id, int ElementTypeId, int IndexTypeId, uint ElementCount)
    : BtfType(Id, BtfKind.Array, "");

public sealed record BtfMember(string Name, int TypeId, uint BitOffset, uint BitfieldSize);

/// <summary>STRUCT or UNION.</summary>
public sealed record BtfComposite(int Id, BtfKind Kind, string Name, uint Size, IReadOnlyList<BtfMember> Members)
    : BtfType(Id, Kind, Name);

public sealed record BtfEnumValue(string Name, long Value);

/// <summary>ENUM (32-bit values) or ENUM64.</summary>
public sealed record BtfEnum(int Id, BtfKind Kind, string Name, uint Size, bool IsSigned, IReadOnlyList<BtfEnumValue> Values)
    : BtfType(Id, Kind, Name);

/// <summary>A forward declaration of a struct (or a union when <see cref="IsUnion"/>).</summary>
public sealed record BtfFwd(int Id, string Name, bool IsUnion) : BtfType(Id, BtfKind.Fwd, Name);

/// <summary>FUNC: <see cref="Linkage"/> 0 static, 1 global, 2 extern; <see cref="ProtoId"/> is a FUNC_PROTO.</summary>
public sealed record BtfFunc(int Id, string Name, int ProtoId, uint Linkage) : BtfType(Id, BtfKind.Func, Name);

public sealed record BtfParam(string Name, int TypeId);

public sealed record BtfFuncProto(int Id, int ReturnTypeId, IReadOnlyList<BtfParam> Params)
    : BtfType(Id, BtfKind.FuncProto, "");

/// <summary>VAR: a global variable; <see cref="Linkage"/> 0 static, 1 global, 2 extern.</summary>
public sealed record BtfVar(int Id, string Name, int TypeId, uint Linkage) : BtfType(Id, BtfKind.Var, Name);

public sealed record BtfVarSecInfo(int TypeId, uint Offset, uint Size);

/// <summary>DATASEC: the variables of one ELF section (.data, .rodata, .bss, .maps, ...).</summary>
public sealed record BtfDataSec(int Id, string Name, uint Size, IReadOnlyList<BtfVarSecInfo> Variables)
    : BtfType(Id, BtfKind.DataSec, Name);

/// <summary>DECL_TAG on a type, or on one member/parameter when <see cref="ComponentIndex"/> ≥ 0.</summary>
public sealed record BtfDeclTag(int Id, string Name, int TargetId, int ComponentIndex) : BtfType(Id, BtfKind.DeclTag, Name);
