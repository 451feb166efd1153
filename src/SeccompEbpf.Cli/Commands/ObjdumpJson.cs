using System.Text.Json;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Cli.Commands;

/// <summary>`objdump --json`: what the text listing shows, as one JSON object (bpftool -j style), programs as loaded.</summary>
internal static class ObjdumpJson
{
    public static void Write(BpfObject obj, TextWriter stdout)
    {
        var elf = obj.Elf;
        var doc = new
        {
            file = obj.FileName,
            license = obj.License,
            version = obj.KernelVersion,
            warnings = obj.Warnings,
            sections = elf.Sections.Skip(1).Select(s => new
            {
                index = s.Index, name = s.Name, type = ElfConstants.SectionTypeName(s.Type), size = s.Size,
                executable = s.IsExecutable, writable = s.IsWritable,
            }),
            maps = obj.MapDefinitions.Select((m, index) => new
            {
                index, name = m.Spec.Name, type = m.Spec.Type.ToString().ToLowerInvariant(),
                keySize = m.Spec.KeySize, valueSize = m.Spec.ValueSize, maxEntries = m.Spec.MaxEntries, flags = m.Spec.Flags,
                keyType = m.KeyType, valueType = m.ValueType, section = m.SectionName, offset = m.SectionOffset,
            }),
            programs = obj.Programs.Select(p => new
            {
                name = p.Name, section = p.SectionName, kind = p.Kind.ToString(), sleepable = p.IsSleepable,
                instructions = p.Instructions.Length,
                functions = p.Functions.Select(f => new { name = f.Name, start = f.StartIndex, length = f.Length }),
                code = Disassembler.Format(p.Instructions).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            }),
            relocations = elf.RelocationTables
                .Where(t => elf.SectionAt(t.TargetSectionIndex) is { IsExecutable: true })
                .Select(t => new
                {
                    table = t.Table.Name,
                    target = elf.SectionAt(t.TargetSectionIndex)!.Name,
                    entries = t.Entries.Select(r => new { instruction = r.Offset / Instruction.Size, type = r.TypeName, symbol = elf.Symbols[r.SymbolIndex].Name }),
                }),
        };
        stdout.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
