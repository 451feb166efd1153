using System.Text;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Prints what a loaded object holds: sections, maps, programs, relocations and a disassembly.
/// The disassembly of the executable sections follows <c>llvm-objdump -d -r</c>'s layout
/// (slot index, the raw bytes, the text; relocations under the instruction they patch) so the
/// two can be compared line by line. With <c>linkedPrograms</c> it also prints each program as
/// it will run: relocated, with its sub-programs appended.
/// </summary>
public static class ObjectDumper
{
    public static void Dump(BpfObject obj, TextWriter output, bool linkedPrograms = false)
    {
        output.WriteLine($"{obj.FileName}: ELF64 BPF relocatable object, little-endian");
        output.WriteLine($"license: {(obj.License.Length > 0 ? obj.License : "(none)")}");
        if (obj.KernelVersion is { } version) output.WriteLine($"version: 0x{version:x8}");
        foreach (var warning in obj.Warnings) output.WriteLine($"warning: {warning}");
        output.WriteLine();
        WriteSections(obj, output);
        WriteMaps(obj, output);
        WritePrograms(obj, output);
        WriteRelocations(obj, output);
        WriteSectionDisassembly(obj, output);
        if (linkedPrograms) WriteLinkedPrograms(obj, output);
    }

    private static void WriteSections(BpfObject obj, TextWriter output)
    {
        output.WriteLine("Sections:");
        output.WriteLine("  Idx Name                     Type          Size Flags");
        foreach (var s in obj.Elf.Sections.Skip(1))
        {
            var flags = new StringBuilder();
            if ((s.Flags & ElfConstants.FlagWrite) != 0) flags.Append('W');
            if ((s.Flags & ElfConstants.FlagAlloc) != 0) flags.Append('A');
            if ((s.Flags & ElfConstants.FlagExecInstr) != 0) flags.Append('X');
            output.WriteLine($"  {s.Index,3} {Truncate(s.Name, 24),-24} {ElfConstants.SectionTypeName(s.Type),-12} {s.Size,6} {flags}");
        }
        output.WriteLine();
    }

    private static void WriteMaps(BpfObject obj, TextWriter output)
    {
        output.WriteLine($"Maps ({obj.MapDefinitions.Count}):");
        for (int i = 0; i < obj.MapDefinitions.Count; i++)
        {
            var m = obj.MapDefinitions[i];
            var spec = m.Spec;
            string key = m.KeyType is null ? $"{spec.KeySize}" : $"{spec.KeySize} ({m.KeyType})";
            string value = m.ValueType is null ? $"{spec.ValueSize}" : $"{spec.ValueSize} ({m.ValueType})";
            string extra = spec.ReadOnlyForProgram ? " read-only" : "";
            output.WriteLine($"  {i,3} {spec.Name,-20} {MapTypeName(spec.Type)} key={key} value={value} max_entries={spec.MaxEntries} flags=0x{spec.Flags:x}{extra}  [{m.SectionName}+{m.SectionOffset}]");
        }
        output.WriteLine();
    }

    private static void WritePrograms(BpfObject obj, TextWriter output)
    {
        output.WriteLine($"Programs ({obj.Programs.Count}):");
        foreach (var p in obj.Programs)
        {
            var functions = string.Join(", ", p.Functions.Select(f => $"{f.Name}@{f.StartIndex}"));
            output.WriteLine($"  {p.Name,-20} section {p.SectionName} ({p.Kind}{(p.IsSleepable ? ", sleepable" : "")}), {p.Instructions.Length} instructions: {functions}");
        }
        output.WriteLine();
    }

    private static void WriteRelocations(BpfObject obj, TextWriter output)
    {
        output.WriteLine("Relocations:");
        foreach (var table in obj.Elf.RelocationTables)
        {
            var target = obj.Elf.SectionAt(table.TargetSectionIndex);
            if (target is null || !target.IsExecutable) continue;
            output.WriteLine($"  {table.Table.Name} ({table.Entries.Count} entries, for {target.Name}):");
            foreach (var r in table.Entries)
                output.WriteLine($"    insn {r.Offset / Instruction.Size,5}  {r.TypeName,-16} {obj.Elf.Symbols[r.SymbolIndex].Name}");
        }
        output.WriteLine();
    }

    /// <summary>The executable sections as compiled, in llvm-objdump's layout.</summary>
    private static void WriteSectionDisassembly(BpfObject obj, TextWriter output)
    {
        foreach (var section in obj.Elf.Sections)
        {
            if (!section.IsExecutable || section.Size == 0) continue;
            var insns = InstructionCodec.DecodeProgram(section.Contents.Span).Value;
            var labels = obj.Elf.Symbols
                .Where(s => s.SectionIndex == section.Index && s.IsFunction && s.Value % Instruction.Size == 0)
                .GroupBy(s => (int)(s.Value / Instruction.Size))
                .ToDictionary(g => g.Key, g => g.First().Name);
            var relocations = obj.Elf.RelocationsFor(section.Index)
                .GroupBy(r => r.Offset)
                .ToDictionary(g => g.Key, g => g.ToList());
            output.WriteLine();
            output.WriteLine($"Disassembly of section {section.Name}:");
            WriteInstructions(insns, labels, output, _ => null, i => relocations.TryGetValue((ulong)i * Instruction.Size, out var rs)
                ? rs.Select(r => $"\t\t{r.Offset:x16}:  {r.TypeName}\t{obj.Elf.Symbols[r.SymbolIndex].Name}")
                : []);
        }
    }

    private static void WriteLinkedPrograms(BpfObject obj, TextWriter output)
    {
        foreach (var p in obj.Programs)
        {
            output.WriteLine();
            output.WriteLine($"Program {p.Name} (section {p.SectionName}), as loaded:");
            var labels = p.Functions.GroupBy(f => f.StartIndex).ToDictionary(g => g.Key, g => g.First().Name);
            var lines = p.LineInfo.GroupBy(l => l.InstructionIndex).ToDictionary(g => g.Key, g => g.First());
            ProgramLineInfo? shown = null;
            WriteInstructions(p.Instructions, labels, output, i =>
            {
                // Like llvm-objdump -S: a source line is printed where it starts to apply, once per change.
                if (!lines.TryGetValue(i, out var l) || (shown is not null && shown.Line == l.Line && shown.FileName == l.FileName))
                    return null;
                shown = l;
                return $"; {l.SourceLine.Trim()}  [{Path.GetFileName(l.FileName)}:{l.Line}]";
            }, i => MapNote(obj, p.Instructions[i]) is { } note ? [note] : []);
        }
    }

    /// <param name="before">a line printed above an instruction (source), or null.</param>
    /// <param name="notes">lines printed under an instruction (relocations).</param>
    private static void WriteInstructions(Instruction[] insns, Dictionary<int, string> labels, TextWriter output,
        Func<int, string?> before, Func<int, IEnumerable<string>> notes)
    {
        for (int i = 0; i < insns.Length; i++)
        {
            if (labels.TryGetValue(i, out var label))
            {
                output.WriteLine();
                output.WriteLine($"{(ulong)i * Instruction.Size:x16} <{label}>:");
            }
            if (before(i) is { } header) output.WriteLine(header);
            bool wide = insns[i].IsLoadImm64 && i + 1 < insns.Length;
            var next = i + 1 < insns.Length ? insns[i + 1] : (Instruction?)null;
            var bytes = InstructionCodec.EncodeProgram(wide ? [insns[i], insns[i + 1]] : [insns[i]]);
            output.WriteLine($"{i,8}:\t{string.Join(' ', bytes.Select(b => b.ToString("x2")))}\t{InstructionFormatter.Format(insns[i], next)}");
            foreach (var note in notes(i)) output.WriteLine(note);
            if (wide)
                foreach (var note in notes(++i)) output.WriteLine(note);
        }
    }

    /// <summary>Names the map an lddw of a linked program refers to by index.</summary>
    private static string? MapNote(BpfObject obj, Instruction insn) =>
        insn.IsLoadImm64 && insn.Src is LoadImmSource.MapIdx or LoadImmSource.MapIdxValue && insn.Imm >= 0 && insn.Imm < obj.Maps.Count
            ? $"\t\t; map {obj.Maps[insn.Imm].Name}"
            : null;

    private static string MapTypeName(Maps.MapType type) =>
        Enum.IsDefined(type) ? type.ToString().ToLowerInvariant() : $"type {(uint)type}";

    private static string Truncate(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "…";
}
