using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>A function symbol inside an executable section, in instruction slots.</summary>
internal sealed record CodeFunction(string Name, int Start, int Length)
{
    public int End => Start + Length;
    public bool Contains(int index) => index >= Start && index < End;
}

/// <summary>
/// An executable section decoded into instructions, with its function symbols and, once
/// relocated, the targets of its calls into .text (instruction index → .text instruction index).
/// </summary>
internal sealed class CodeSection
{
    private CodeSection(ElfSection section, Instruction[] instructions, List<CodeFunction> functions)
    {
        Section = section;
        Instructions = instructions;
        Functions = functions;
    }

    public ElfSection Section { get; }
    public string Name => Section.Name;
    public Instruction[] Instructions { get; }
    public List<CodeFunction> Functions { get; }
    public Dictionary<int, int> CallTargets { get; } = new();

    public CodeFunction? FunctionAt(int index) => Functions.FirstOrDefault(f => f.Contains(index));

    public static BpfResult<CodeSection> Decode(ElfFile elf, ElfSection section)
    {
        if (section.Size % Instruction.Size != 0)
            return new BpfError($"code section {section.Name}: size {section.Size} is not a multiple of {Instruction.Size}");
        var decoded = InstructionCodec.DecodeProgram(section.Contents.Span);
        if (!decoded.IsOk) return new BpfError($"code section {section.Name}: {decoded.Error!.Message}");
        var instructions = decoded.Value;

        var symbols = elf.Symbols
            .Where(s => s.SectionIndex == section.Index && s.IsFunction)
            .OrderBy(s => s.Value)
            .ToList();
        var functions = new List<CodeFunction>();
        for (int i = 0; i < symbols.Count; i++)
        {
            var sym = symbols[i];
            if (sym.Value % Instruction.Size != 0 || sym.Value >= section.Size)
                return new BpfError($"code section {section.Name}: function '{sym.Name}' starts at byte {sym.Value}, which is not an instruction of this {section.Size}-byte section");
            int start = (int)(sym.Value / Instruction.Size);
            // The symbol size says where the function ends; without one, it runs to the next function.
            ulong nextStart = i + 1 < symbols.Count ? Math.Min(symbols[i + 1].Value, section.Size) : section.Size;
            ulong end = sym.Size > 0 && sym.Size <= section.Size - sym.Value ? sym.Value + sym.Size : nextStart;
            if (sym.Size % Instruction.Size != 0 || end <= sym.Value)
                return new BpfError($"code section {section.Name}: function '{sym.Name}' has size {sym.Size}, not a whole number of instructions");
            if (functions.Any(f => f.Start == start)) continue; // aliases of one function
            functions.Add(new CodeFunction(sym.Name, start, (int)((end - sym.Value) / Instruction.Size)));
        }
        // Hand-written objects may carry no function symbols: the section is then one function.
        if (functions.Count == 0 && instructions.Length > 0)
            functions.Add(new CodeFunction(section.Name, 0, instructions.Length));
        return new CodeSection(section, instructions, functions);
    }
}
