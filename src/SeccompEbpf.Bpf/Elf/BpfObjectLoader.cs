using System.Buffers.Binary;
using System.Text;
using SeccompEbpf.Bpf.Elf.Btf;

namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// Loads a clang-built BPF object (<c>clang -O2 -g -target bpf -c</c>) following libbpf's
/// conventions: every executable section other than .text holds programs (one per function
/// symbol); .text holds sub-programs; maps come from <c>maps</c>, <c>.maps</c> (BTF) and the
/// global-data sections. Bad input gives an error value naming the file and the broken part.
/// </summary>
public static class BpfObjectLoader
{
    public const string TextSection = ".text";
    public const string LicenseSection = "license";
    public const string VersionSection = "version";

    public static BpfResult<BpfObject> LoadFile(string path)
    {
        var data = InputFile.ReadAllBytes(path);
        return data.IsOk ? Load(data.Value, path) : data.Error!;
    }

    public static BpfResult<BpfObject> Load(byte[] data, string fileName = "<memory>")
    {
        var result = LoadCore(data, fileName);
        // The file is the error's location; the message already names the section or program.
        return result.IsOk ? result : result.Error! with { Location = fileName };
    }

    private static BpfResult<BpfObject> LoadCore(byte[] data, string fileName)
    {
        var elf = ElfReader.Read(data);
        if (!elf.IsOk) return elf.Error!;
        var file = elf.Value;
        var warnings = new List<string>();

        var debugInfo = ReadBtf(file, warnings);
        if (!debugInfo.IsOk) return debugInfo.Error!;
        var (btf, btfExt) = debugInfo.Value;

        var license = ReadLicense(file);
        var version = ReadVersion(file);
        if (!version.IsOk) return version.Error!;

        var maps = ObjectMapTable.Build(file, btf);
        if (!maps.IsOk) return maps.Error!;

        CodeSection? text = null;
        var programSections = new List<CodeSection>();
        foreach (var section in file.Sections)
        {
            if (!section.IsExecutable || section.Size == 0) continue;
            var code = CodeSection.Decode(file, section);
            if (!code.IsOk) return code.Error!;
            if (section.Name == TextSection) text = code.Value;
            else programSections.Add(code.Value);
        }

        int textIndex = text?.Section.Index ?? -1;
        foreach (var code in programSections.Append(text))
        {
            if (code is null) continue;
            var error = CodeRelocator.Apply(file, code, maps.Value, textIndex);
            if (error is not null) return error;
        }

        var linker = new ProgramLinker(text, new SourceInfoIndex(btfExt, btf));
        var programs = new List<ObjectProgram>();
        foreach (var code in programSections)
        {
            foreach (var function in code.Functions)
            {
                var program = linker.Link(code, function, license);
                if (!program.IsOk) return program.Error!;
                programs.Add(program.Value);
            }
        }
        return new BpfObject(fileName, file, license, version.Value, programs, maps.Value.Maps, btf, btfExt, warnings);
    }

    /// <summary>
    /// BTF is needed only for .maps (which then says so); elsewhere a broken .BTF is a warning, as
    /// in libbpf. A .BTF.ext that does not parse fails the load: it may hold CO-RE relocations,
    /// and running code whose constants were meant to be patched would give wrong answers silently.
    /// </summary>
    private static BpfResult<(BtfSpec? Btf, BtfExt Ext)> ReadBtf(ElfFile file, List<string> warnings)
    {
        var btfSection = file.FindSection(".BTF");
        if (btfSection is null || btfSection.IsNoBits) return (null, BtfExt.Empty);
        var btf = BtfParser.Parse(btfSection.Contents);
        if (!btf.IsOk)
        {
            warnings.Add($"{btf.Error!.Message} (BTF ignored)");
            return (null, BtfExt.Empty);
        }
        var extSection = file.FindSection(".BTF.ext");
        if (extSection is null || extSection.IsNoBits) return (btf.Value, BtfExt.Empty);
        var ext = BtfExtParser.Parse(extSection.Contents, btf.Value);
        if (!ext.IsOk) return ext.Error!;
        return (btf.Value, ext.Value);
    }

    private static string ReadLicense(ElfFile file)
    {
        var section = file.FindSection(LicenseSection);
        if (section is null) return "";
        var bytes = section.Contents.Span;
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static BpfResult<uint?> ReadVersion(ElfFile file)
    {
        var section = file.FindSection(VersionSection);
        if (section is null) return (uint?)null;
        if (section.Contents.Length != 4)
            return new BpfError($"section '{VersionSection}' is {section.Contents.Length} bytes; it must hold one u32");
        return (uint?)BinaryPrimitives.ReadUInt32LittleEndian(section.Contents.Span);
    }
}
