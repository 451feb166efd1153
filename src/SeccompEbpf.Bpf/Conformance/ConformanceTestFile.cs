using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Conformance;

/// <summary>
/// A test of the BPF conformance suite (github.com/Alan-Jowett/bpf_conformance), read from its
/// <c>.data</c> format: <c>-- asm</c> (conformance assembly), <c>-- raw</c> (the program as one
/// little-endian 64-bit 0x-words, or as space-separated bytes in wire order), <c>-- mem</c> (hex
/// bytes given to the program in r1/r2), <c>-- result</c> (expected r0), <c>-- error</c>
/// (expected rejection, text may be empty). Other sections (<c>-- c</c>, <c>-- no register
/// offset</c>, anything unknown) are kept in <see cref="Sections"/>. <c>#</c> starts a comment.
/// </summary>
public sealed class ConformanceTestFile
{
    public required string FileName { get; init; }

    /// <summary>Every section in file order, including the ones this class does not interpret.</summary>
    public required IReadOnlyList<ConformanceSection> Sections { get; init; }

    /// <summary>The <c>-- asm</c> section, or null.</summary>
    public ConformanceSection? Assembly { get; init; }

    /// <summary>The decoded <c>-- raw</c> section, or null when the file has none.</summary>
    public Instruction[]? RawInstructions { get; init; }

    /// <summary>The <c>-- mem</c> bytes; empty when the file has none.</summary>
    public byte[] Memory { get; init; } = [];

    /// <summary>The expected value of r0, or null when the file has no <c>-- result</c>.</summary>
    public ulong? ExpectedResult { get; init; }

    /// <summary>The expected error text ("" when the section is empty), or null when no <c>-- error</c>.</summary>
    public string? ExpectedError { get; init; }

    public bool ExpectsError => ExpectedError is not null;

    /// <summary>Names of sections that are neither asm, raw, mem, result nor error.</summary>
    public IEnumerable<string> OtherSectionNames =>
        Sections.Select(s => s.Name).Where(n => !KnownSections.Contains(n));

    private static readonly HashSet<string> KnownSections = ["asm", "raw", "mem", "result", "error"];

    /// <summary>
    /// The program under test: the raw bytes when present (they are authoritative, the suite
    /// runner uses them first), otherwise the assembled <c>-- asm</c> section.
    /// </summary>
    public BpfResult<Instruction[]> Program()
    {
        if (RawInstructions is not null) return RawInstructions;
        if (Assembly is null)
            return new BpfError("the test has neither a '-- asm' nor a '-- raw' section", Location: $"{FileName}:1:1");
        return Assembler.Assemble(Assembly.Text, FileName, AsmSyntax.Conformance, Assembly.FirstLine);
    }

    public static BpfResult<ConformanceTestFile> Load(string path)
    {
        var text = InputFile.ReadAllText(path);
        return text.IsOk ? Parse(text.Value, path) : text.Error!;
    }

    public static BpfResult<ConformanceTestFile> Parse(string text, string fileName)
    {
        var sections = SplitSections(text, fileName);
        if (!sections.IsOk) return sections.Error!;

        ConformanceSection? asm = null;
        Instruction[]? raw = null;
        byte[] memory = [];
        ulong? result = null;
        string? error = null;
        foreach (var section in sections.Value)
        {
            switch (section.Name)
            {
                case "asm":
                    asm = section;
                    break;
                case "raw":
                    var rawResult = ConformanceHex.ParseRaw(section, fileName);
                    if (!rawResult.IsOk) return rawResult.Error!;
                    raw = rawResult.Value;
                    break;
                case "mem":
                    var memResult = ConformanceHex.ParseBytes(section, fileName);
                    if (!memResult.IsOk) return memResult.Error!;
                    memory = memResult.Value;
                    break;
                case "result":
                    var valueResult = ConformanceHex.ParseResult(section, fileName);
                    if (!valueResult.IsOk) return valueResult.Error!;
                    result = valueResult.Value;
                    break;
                case "error":
                    error = string.Join('\n', section.Lines
                        .Select(l => ConformanceHex.StripComment(l).Trim())
                        .Where(l => l.Length > 0));
                    break;
            }
        }
        return new ConformanceTestFile
        {
            FileName = fileName,
            Sections = sections.Value,
            Assembly = asm,
            RawInstructions = raw,
            Memory = memory,
            ExpectedResult = result,
            ExpectedError = error,
        };
    }

    private static BpfResult<List<ConformanceSection>> SplitSections(string text, string fileName)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var sections = new List<ConformanceSection>();
        string? name = null;
        int header = 0;
        var body = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("--"))
            {
                if (name is not null) sections.Add(new ConformanceSection(name, header, body));
                name = ConformanceHex.StripComment(trimmed[2..]).Trim().ToLowerInvariant();
                header = i + 1;
                body = new List<string>();
                continue;
            }
            if (name is not null)
            {
                body.Add(line);
                continue;
            }
            var content = ConformanceHex.StripComment(line).Trim();
            if (content.Length > 0)
                return new BpfError($"expected a comment or a '-- section' header but found '{content}'",
                    Location: $"{fileName}:{i + 1}:{line.Length - line.TrimStart().Length + 1}");
        }
        if (name is not null) sections.Add(new ConformanceSection(name, header, body));
        // A trailing newline leaves one empty line at the end of the last section; drop such tails.
        for (int s = 0; s < sections.Count; s++)
        {
            var l = sections[s].Lines.ToList();
            while (l.Count > 0 && l[^1].Trim().Length == 0) l.RemoveAt(l.Count - 1);
            sections[s] = sections[s] with { Lines = l };
        }
        return sections;
    }
}
