using SeccompEbpf.Bpf;

namespace SeccompEbpf.Classic.Text;

public enum ClassicFileFormat { Binary, TcpdumpDecimal, CArray, Assembly }

/// <summary>Reads a classic filter from a file in any of the supported forms, detecting which one.</summary>
public static class ClassicFilterFile
{
    public static BpfResult<ClassicInstruction[]> Load(string path)
    {
        var bytes = InputFile.ReadAllBytes(path);
        return bytes.IsOk ? Parse(bytes.Value, path) : bytes.Error!;
    }

    public static BpfResult<ClassicInstruction[]> Parse(ReadOnlySpan<byte> bytes, string fileName = "<input>") =>
        Detect(bytes) switch
        {
            ClassicFileFormat.Binary => ClassicBinaryFormat.Read(bytes, fileName),
            var textFormat => Parse(System.Text.Encoding.UTF8.GetString(bytes), textFormat, fileName),
        };

    public static BpfResult<ClassicInstruction[]> Parse(string text, ClassicFileFormat format, string fileName = "<input>") => format switch
    {
        ClassicFileFormat.TcpdumpDecimal => ClassicNumericFormats.ParseTcpdumpDecimal(text, fileName),
        ClassicFileFormat.CArray => ClassicNumericFormats.ParseCArray(text, fileName),
        ClassicFileFormat.Assembly => ClassicAssembler.Assemble(text, fileName),
        _ => new BpfError("binary filters must be given as bytes", Location: fileName),
    };

    /// <summary>Binary when the bytes are not printable text; otherwise by the first meaningful line.</summary>
    public static ClassicFileFormat Detect(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t')
                return ClassicFileFormat.Binary;
        }
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith(';')) continue;
            if (line.StartsWith('{')) return ClassicFileFormat.CArray;
            return line.All(char.IsAsciiDigit) ? ClassicFileFormat.TcpdumpDecimal : ClassicFileFormat.Assembly;
        }
        return ClassicFileFormat.Assembly;
    }
}
