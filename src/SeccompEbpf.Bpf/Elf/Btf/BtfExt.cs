namespace SeccompEbpf.Bpf.Elf.Btf;

/// <summary>A function's BTF type at an instruction (byte offset within its ELF section).</summary>
public sealed record BtfFuncInfo(string Section, uint InstructionOffset, int TypeId);

/// <summary>Where an instruction came from in the C source; <see cref="SourceLine"/> is the line's text.</summary>
public sealed record BtfLineInfo(string Section, uint InstructionOffset, string FileName, string SourceLine, uint Line, uint Column);

/// <summary>The kinds of CO-RE relocation (enum bpf_core_relo_kind).</summary>
public enum CoreRelocationKind : uint
{
    FieldByteOffset = 0, FieldByteSize = 1, FieldExists = 2, FieldSigned = 3, FieldLShiftU64 = 4, FieldRShiftU64 = 5,
    TypeIdLocal = 6, TypeIdTarget = 7, TypeExists = 8, TypeSize = 9, EnumValueExists = 10, EnumValue = 11, TypeMatches = 12,
}

/// <summary>A CO-RE relocation: an instruction whose constant depends on the running kernel's types.</summary>
public sealed record BtfCoreRelocation(string Section, uint InstructionOffset, int TypeId, string AccessString, CoreRelocationKind Kind);

/// <summary>The parsed .BTF.ext section: per-section function, line and CO-RE records.</summary>
public sealed record BtfExt(
    IReadOnlyList<BtfFuncInfo> FuncInfo,
    IReadOnlyList<BtfLineInfo> LineInfo,
    IReadOnlyList<BtfCoreRelocation> CoreRelocations)
{
    public static BtfExt Empty { get; } = new([], [], []);
}
