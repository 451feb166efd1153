using SeccompEbpf.Bpf.Elf.Btf;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// .BTF.ext records indexed by (section, instruction), so that a linked program can ask which
/// source line, function type or CO-RE relocation belongs to each of its instructions.
/// </summary>
internal sealed class SourceInfoIndex
{
    private readonly Dictionary<(string, uint), BtfLineInfo> _lines = new();
    private readonly Dictionary<(string, uint), BtfFuncInfo> _funcs = new();
    private readonly Dictionary<(string, uint), BtfCoreRelocation> _core = new();
    private readonly BtfSpec? _btf;

    public SourceInfoIndex(BtfExt ext, BtfSpec? btf)
    {
        _btf = btf;
        foreach (var l in ext.LineInfo) _lines.TryAdd((l.Section, l.InstructionOffset), l);
        foreach (var f in ext.FuncInfo) _funcs.TryAdd((f.Section, f.InstructionOffset), f);
        foreach (var c in ext.CoreRelocations) _core.TryAdd((c.Section, c.InstructionOffset), c);
    }

    public IReadOnlyList<ProgramLineInfo> Lines(List<(CodeSection Section, int Index)> origins)
    {
        var result = new List<ProgramLineInfo>();
        if (_lines.Count == 0) return result;
        for (int i = 0; i < origins.Count; i++)
            if (_lines.TryGetValue(Key(origins[i]), out var l))
                result.Add(new ProgramLineInfo(i, l.FileName, l.Line, l.Column, l.SourceLine));
        return result;
    }

    public IReadOnlyList<ProgramFunction> Functions(List<ProgramFunction> functions, List<(CodeSection Section, int Index)> origins) =>
        functions.Select(f => _funcs.TryGetValue(Key(origins[f.StartIndex]), out var info) ? f with { BtfTypeId = info.TypeId } : f).ToList();

    public (int Index, BtfCoreRelocation Relocation, string TypeName)? FirstCoreRelocation(List<(CodeSection Section, int Index)> origins)
    {
        if (_core.Count == 0) return null;
        for (int i = 0; i < origins.Count; i++)
            if (_core.TryGetValue(Key(origins[i]), out var c))
                return (i, c, _btf?.NameOf(c.TypeId) ?? $"type id {c.TypeId}");
        return null;
    }

    private static (string, uint) Key((CodeSection Section, int Index) origin) =>
        (origin.Section.Name, (uint)(origin.Index * Instruction.Size));
}
