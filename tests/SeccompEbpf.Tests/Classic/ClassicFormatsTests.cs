using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Tests.Classic;

public class ClassicFormatsTests
{
    private static readonly ClassicInstruction[] Sample =
    [
        ClassicInstruction.Stmt(LdAbsW, 0),
        ClassicInstruction.Jump(JeqK, 59, 0, 1),
        ClassicInstruction.Stmt(RetK, SeccompAction.Errno | 1),
        ClassicInstruction.Stmt(LdAbsW, 20),
        ClassicInstruction.Jump(JsetX, 0, 1, 0),
        ClassicInstruction.Stmt(Ja, 0),
        ClassicInstruction.Stmt(RetK, SeccompAction.Allow),
    ];

    [Fact]
    public void ListingLooksLikeTcpdumpWithSeccompNotes() => Assert.Equal("""
        (000) ld [0]                         ; nr
        (001) jeq #0x3b jt 2 jf 3
        (002) ret #0x50001                   ; ERRNO(1)
        (003) ld [20]                        ; args[0] (high)
        (004) jset x jt 6 jf 5
        (005) ja 6
        (006) ret #0x7fff0000                ; ALLOW

        """.ReplaceLineEndings("\n"), ClassicDisassembler.ToListing(Sample));

    [Fact]
    public void TcpdumpDecimalRoundTrips()
    {
        var text = ClassicNumericFormats.ToTcpdumpDecimal(Sample);
        Assert.StartsWith("7\n32 0 0 0\n21 0 1 59\n", text);
        Assert.Equal(Sample, ClassicNumericFormats.ParseTcpdumpDecimal(text).Value);
    }

    [Theory]
    [InlineData("", "f:1:1: empty input")]
    [InlineData("x\n", "f:1:1: expected the instruction count")]
    [InlineData("2\n6 0 0 0\n", "f:1:1: the first line declares 2 instructions but 1 follow")]
    [InlineData("1\n6 0 0\n", "f:2:1: expected 4 decimal numbers")]
    [InlineData("1\n6 0 256 0\n", "f:2:5: jf must be a number from 0 to 255, found '256'")]
    [InlineData("1\n6 0 0 -1\n", "f:2:7: k must be a number")]
    public void TcpdumpDecimalErrors(string text, string expected) =>
        Assert.StartsWith(expected, ClassicNumericFormats.ParseTcpdumpDecimal(text, "f").Error!.ToString());

    [Fact]
    public void CArrayRoundTripsAndReadsTcpdumpDd()
    {
        Assert.Equal(Sample, ClassicNumericFormats.ParseCArray(ClassicNumericFormats.ToCArray(Sample)).Value);
        var dd = "{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x000086dd },\n{ 0x6, 0, 0, 0x00040000 },\n";
        Assert.Equal(ClassicInstruction.Jump(JeqK, 0x86dd, 0, 1), ClassicNumericFormats.ParseCArray(dd).Value[1]);
        Assert.StartsWith("f:2:1: expected 4 numbers", ClassicNumericFormats.ParseCArray("{ 6, 0, 0, 0 },\n{ 6, 0 },", "f").Error!.ToString());
    }

    [Fact]
    public void BinaryRoundTripsAndRejectsPartialInstructions()
    {
        var bytes = ClassicBinaryFormat.Write(Sample);
        Assert.Equal(Sample.Length * 8, bytes.Length);
        Assert.Equal(Sample, ClassicBinaryFormat.Read(bytes).Value);
        Assert.Contains("not a whole number of 8-byte", ClassicBinaryFormat.Read(bytes.AsSpan(0, 12)).Error!.Message);
    }

    [Fact]
    public void FileFormatIsDetected()
    {
        var utf8 = System.Text.Encoding.UTF8;
        Assert.Equal(ClassicFileFormat.Binary, ClassicFilterFile.Detect(ClassicBinaryFormat.Write(Sample)));
        Assert.Equal(ClassicFileFormat.TcpdumpDecimal, ClassicFilterFile.Detect(utf8.GetBytes(ClassicNumericFormats.ToTcpdumpDecimal(Sample))));
        Assert.Equal(ClassicFileFormat.CArray, ClassicFilterFile.Detect(utf8.GetBytes(ClassicNumericFormats.ToCArray(Sample))));
        Assert.Equal(ClassicFileFormat.Assembly, ClassicFilterFile.Detect(utf8.GetBytes("; comment\nld [0]\nret a")));
        foreach (var bytes in new[]
                 {
                     ClassicBinaryFormat.Write(Sample),
                     utf8.GetBytes(ClassicNumericFormats.ToTcpdumpDecimal(Sample)),
                     utf8.GetBytes(ClassicNumericFormats.ToCArray(Sample)),
                     utf8.GetBytes(ClassicDisassembler.ToSource(Sample)),
                 })
            Assert.Equal(Sample, ClassicFilterFile.Parse(bytes).Value);
    }

    [Fact]
    public void RawFileErrorsNameTheFileAndTheProblem()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[12]);
            var broken = ClassicFilterFile.Load(path);
            Assert.False(broken.IsOk);
            Assert.Equal(path, broken.Error!.Location);
            Assert.Contains("8-byte", broken.Error.Message);

            File.WriteAllBytes(path, ClassicBinaryFormat.Write(Sample));
            Assert.Equal(Sample, ClassicFilterFile.Load(path).Value);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MissingFileIsAnError()
    {
        var result = ClassicFilterFile.Load("/nonexistent/filter.bpf");
        Assert.False(result.IsOk);
        Assert.Equal("/nonexistent/filter.bpf", result.Error!.Location);
    }
}
