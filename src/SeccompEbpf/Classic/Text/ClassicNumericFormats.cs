using System.Globalization;
using System.Text;
using SeccompEbpf.Bpf;

namespace SeccompEbpf.Classic.Text;

/// <summary>
/// The numeric text forms of a classic program that tcpdump prints: <c>-ddd</c> (a count, then
/// "code jt jf k" in decimal per line) and <c>-dd</c> (C array rows <c>{ 0x28, 0, 0, 0x0000000c },</c>).
/// </summary>
public static class ClassicNumericFormats
{
    public static string ToTcpdumpDecimal(IReadOnlyList<ClassicInstruction> program)
    {
        var text = new StringBuilder().Append(program.Count).Append('\n');
        foreach (var ins in program) text.Append($"{ins.Code} {ins.Jt} {ins.Jf} {ins.K}\n");
        return text.ToString();
    }

    public static BpfResult<ClassicInstruction[]> ParseTcpdumpDecimal(string text, string fileName = "<input>")
    {
        var lines = text.Split('\n');
        int? declared = null;
        int declaredLine = 0;
        var program = new List<ClassicInstruction>();
        for (int n = 0; n < lines.Length; n++)
        {
            var fields = Fields(lines[n], ' ', '\t', '\r');
            if (fields.Count == 0) continue;
            if (declared is null)
            {
                if (fields.Count != 1 || !int.TryParse(fields[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
                    return Error(fileName, n + 1, fields[0].Column, $"expected the instruction count on the first line (tcpdump -ddd), found '{lines[n].Trim()}'");
                declared = count;
                declaredLine = n + 1;
                continue;
            }
            if (fields.Count != 4)
                return Error(fileName, n + 1, fields[0].Column, $"expected 4 decimal numbers 'code jt jf k', found {fields.Count}");
            var parsed = ParseInstruction(fields, fileName, n + 1, NumberStyles.None);
            if (!parsed.IsOk) return parsed.Error!;
            program.Add(parsed.Value);
        }
        if (declared is null)
            return new BpfError("empty input: expected the instruction count then one 'code jt jf k' line per instruction (tcpdump -ddd)", Location: $"{fileName}:1:1");
        if (declared != program.Count)
            return Error(fileName, declaredLine, 1, $"the first line declares {declared} instructions but {program.Count} follow");
        return program.ToArray();
    }

    public static string ToCArray(IReadOnlyList<ClassicInstruction> program)
    {
        var text = new StringBuilder();
        foreach (var ins in program) text.Append($"{{ 0x{ins.Code:x2}, {ins.Jt}, {ins.Jf}, 0x{ins.K:x8} }},\n");
        return text.ToString();
    }

    public static BpfResult<ClassicInstruction[]> ParseCArray(string text, string fileName = "<input>")
    {
        var program = new List<ClassicInstruction>();
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            int open = line.IndexOf('{');
            if (open < 0)
            {
                if (line.Trim().Length > 0)
                    return Error(fileName, n + 1, 1, "expected a row '{ code, jt, jf, k },' (tcpdump -dd)");
                continue;
            }
            int close = line.IndexOf('}', open);
            if (close < 0) return Error(fileName, n + 1, line.Length + 1, "expected '}' to close the row");
            var fields = Fields(line[(open + 1)..close], ',', ' ', '\t');
            if (fields.Count != 4)
                return Error(fileName, n + 1, open + 1, $"expected 4 numbers 'code, jt, jf, k' in the row, found {fields.Count}");
            var shifted = fields.Select(f => f with { Column = f.Column + open + 1 }).ToList();
            var parsed = ParseInstruction(shifted, fileName, n + 1, NumberStyles.None);
            if (!parsed.IsOk) return parsed.Error!;
            program.Add(parsed.Value);
        }
        return program.ToArray();
    }

    private readonly record struct Field(string Text, int Column);

    private static List<Field> Fields(string line, params char[] separators)
    {
        var fields = new List<Field>();
        int i = 0;
        while (i < line.Length)
        {
            if (Array.IndexOf(separators, line[i]) >= 0) { i++; continue; }
            int start = i;
            while (i < line.Length && Array.IndexOf(separators, line[i]) < 0) i++;
            fields.Add(new Field(line[start..i], start + 1));
        }
        return fields;
    }

    private static BpfResult<ClassicInstruction> ParseInstruction(List<Field> fields, string fileName, int line, NumberStyles styles)
    {
        var limits = new ulong[] { ushort.MaxValue, byte.MaxValue, byte.MaxValue, uint.MaxValue };
        var names = new[] { "code", "jt", "jf", "k" };
        var values = new ulong[4];
        for (int f = 0; f < 4; f++)
        {
            var text = fields[f].Text;
            bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out values[f])
                : ulong.TryParse(text, styles, CultureInfo.InvariantCulture, out values[f]);
            if (!ok || values[f] > limits[f])
                return new BpfError($"{names[f]} must be a number from 0 to {limits[f]}, found '{text}'", Location: $"{fileName}:{line}:{fields[f].Column}");
        }
        return new ClassicInstruction((ushort)values[0], (byte)values[1], (byte)values[2], (uint)values[3]);
    }

    private static BpfError Error(string fileName, int line, int column, string message) =>
        new(message, Location: $"{fileName}:{line}:{column}");
}
