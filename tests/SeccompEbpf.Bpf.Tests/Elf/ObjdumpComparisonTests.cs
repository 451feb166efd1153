using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using SeccompEbpf.Bpf.Elf;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>
/// Our objdump's section disassembly matches <c>llvm-objdump-19 -d</c> instruction by
/// instruction: the same slot indices and raw bytes, and the same text once spelling that does
/// not change meaning is normalised (hex vs decimal numbers, <c>call pc-1</c> vs <c>call -0x1</c>,
/// symbol annotations like <c>&lt;f+0x20&gt;</c>, whitespace).
/// </summary>
public partial class ObjdumpComparisonTests
{
    private const string LlvmObjdump = "llvm-objdump-19";

    public static TheoryData<string, string, string> Builds => ExampleFilters.AllBuilds();

    [Theory]
    [MemberData(nameof(Builds))]
    public void Example_disassembly_matches_llvm_objdump(string example, string compiler, string cpu) =>
        Compare(ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(example), compiler, cpu));

    [Fact]
    public void Multi_program_disassembly_matches_llvm_objdump() =>
        Compare(ClangCompiler.CompileOrSkip(Path.Combine(ClangCompiler.TestSourcesDirectory, "multi_program.c")));

    private static void Compare(string objectPath)
    {
        Assert.SkipUnless(ClangCompiler.IsAvailable(LlvmObjdump), $"{LlvmObjdump} is not installed (package llvm-19)");
        var loaded = BpfObjectLoader.LoadFile(objectPath);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        var ours = new StringWriter();
        ObjectDumper.Dump(loaded.Value, ours);

        var expected = Parse(RunLlvmObjdump(objectPath));
        var actual = Parse(ours.ToString());
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (section, theirs) in expected)
        {
            var mine = actual[section];
            Assert.Equal(theirs.Count, mine.Count);
            for (int i = 0; i < theirs.Count; i++)
            {
                string where = $"{Path.GetFileName(objectPath)} section {section} instruction {theirs[i].Index}";
                Assert.True(theirs[i].Index == mine[i].Index, $"{where}: index {mine[i].Index}");
                Assert.True(theirs[i].Bytes == mine[i].Bytes, $"{where}: bytes '{mine[i].Bytes}' vs llvm '{theirs[i].Bytes}'");
                Assert.True(Normalise(theirs[i].Text) == Normalise(mine[i].Text),
                    $"{where}: '{mine[i].Text}' vs llvm '{theirs[i].Text}' (normalised '{Normalise(mine[i].Text)}' vs '{Normalise(theirs[i].Text)}')");
            }
        }
    }

    private sealed record Line(int Index, string Bytes, string Text);

    /// <summary>Disassembly lines grouped by section, from either tool's output.</summary>
    private static Dictionary<string, List<Line>> Parse(string output)
    {
        var result = new Dictionary<string, List<Line>>();
        List<Line>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var header = SectionHeader().Match(raw);
            if (header.Success)
            {
                result[header.Groups[1].Value] = current = new List<Line>();
                continue;
            }
            if (raw.StartsWith("Program ", StringComparison.Ordinal)) current = null; // our linked-program listing
            var line = InstructionLine().Match(raw);
            if (line.Success && current is not null)
                current.Add(new Line(int.Parse(line.Groups[1].Value), line.Groups[2].Value.Trim(), line.Groups[3].Value));
        }
        return result;
    }

    internal static string Normalise(string text)
    {
        text = SymbolAnnotation().Replace(text, "");
        text = text.Replace("call pc", "call ");
        text = Number().Replace(text, m => Canonical(m.Value));
        return Whitespace().Replace(text, " ").Trim();
    }

    /// <summary>A number as its 32-bit (or, beyond that, 64-bit) two's-complement value in hex.</summary>
    private static string Canonical(string literal)
    {
        bool negative = literal.StartsWith('-');
        string digits = literal.TrimStart('-', '+');
        var value = digits.StartsWith("0x")
            ? BigInteger.Parse("0" + digits[2..], NumberStyles.HexNumber)
            : BigInteger.Parse(digits);
        if (negative) value = -value;
        if (value < 0) value += value >= -(BigInteger.One << 31) ? BigInteger.One << 32 : BigInteger.One << 64;
        return "#" + ((ulong)value).ToString("x");
    }

    private static string RunLlvmObjdump(string path)
    {
        var psi = new ProcessStartInfo(LlvmObjdump, ["-d", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{LlvmObjdump} failed: {stderr.Result}");
        return output;
    }

    [GeneratedRegex(@"^Disassembly of section (.+):$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^\s*(\d+):\t([0-9a-f ]+)\t(.*)$")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"\s*<[A-Za-z_.$][^<>]*>$")]
    private static partial Regex SymbolAnnotation();

    [GeneratedRegex(@"(?<![\w.])[-+]?(0x[0-9a-f]+|\d+)(?![\w])")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
