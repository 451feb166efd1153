using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// One program of an object, ready to run: its own instructions followed by every .text
/// sub-program it calls (directly or not), with call offsets and map references fixed.
/// </summary>
public sealed record ObjectProgram(
    string Name,
    string SectionName,
    ProgramSectionKind Kind,
    Instruction[] Instructions,
    string License,
    IReadOnlyList<ProgramFunction> Functions,
    IReadOnlyList<ProgramLineInfo> LineInfo)
{
    public bool IsSleepable => ProgramSections.IsSleepable(SectionName);

    /// <summary>The source position of an instruction (the nearest line-info record at or before it), or null.</summary>
    public ProgramLineInfo? LineAt(int instructionIndex)
    {
        ProgramLineInfo? best = null;
        foreach (var l in LineInfo)
            if (l.InstructionIndex <= instructionIndex && (best is null || l.InstructionIndex >= best.InstructionIndex))
                best = l;
        return best;
    }
}

/// <summary>A function inside a program: the entry itself at 0, then each appended sub-program.</summary>
public sealed record ProgramFunction(string Name, int StartIndex, int Length, int BtfTypeId = 0);

/// <summary>A source position for an instruction of a program (from .BTF.ext line_info).</summary>
public sealed record ProgramLineInfo(int InstructionIndex, string FileName, uint Line, uint Column, string SourceLine)
{
    public string Location => $"{FileName}:{Line}:{Column}";
}
