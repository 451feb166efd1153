using SeccompEbpf.Bpf.Conformance;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Conformance;

public class ConformanceTestFileTests
{
    [Fact]
    public void Reads_the_raw_section_as_little_endian_words()
    {
        var file = ConformanceTestFile.Parse("""
            # comment
            -- asm
            lddw %r0, 0x1122334455667788
            exit
            -- raw
            0x5566778800000018
            0x1122334400000000
            0x0000000000000095
            -- result
            0x1122334455667788
            """, "lddw.data").Value;
        Assert.Equal(
            [new Instruction(0x18, 0, 0, 0, 0x55667788), new Instruction(0, 0, 0, 0, 0x11223344), new Instruction(0x95, 0, 0, 0, 0)],
            file.RawInstructions!);
        Assert.Equal(0x1122334455667788UL, file.ExpectedResult);
        Assert.Null(file.ExpectedError);
        Assert.Equal(3, file.Assembly!.FirstLine);
        Assert.Equal(["lddw %r0, 0x1122334455667788", "exit"], file.Assembly.Lines);
    }

    [Fact]
    public void Reads_several_raw_words_on_one_line()
    {
        var file = ConformanceTestFile.Parse("-- raw\n0x00000001000000b7 0x0000000000000095\n-- result\n1\n", "t.data").Value;
        Assert.Equal([new Instruction(0xb7, 0, 0, 0, 1), new Instruction(0x95, 0, 0, 0, 0)], file.RawInstructions!);
    }

    [Fact]
    public void Reads_the_raw_section_as_bytes_and_an_empty_error()
    {
        var file = ConformanceTestFile.Parse("""
            # Test add_imm with non-zero src (unused field must be zero)
            -- raw
            04 10 00 00 01 00 00 00
            95 00 00 00 00 00 00 00
            -- error
            """, "unused.data").Value;
        Assert.Equal([new Instruction(0x04, 0, 1, 0, 1), new Instruction(0x95, 0, 0, 0, 0)], file.RawInstructions!);
        Assert.Equal("", file.ExpectedError);
        Assert.True(file.ExpectsError);
        Assert.Null(file.ExpectedResult);
    }

    [Fact]
    public void Reads_memory_comments_and_keeps_unknown_sections()
    {
        var file = ConformanceTestFile.Parse("""
            -- c
            #include <stdint.h>
            -- asm
            mov %r0, %r2 # length of the memory
            exit
            -- mem
            00 00 00 01
            00 00 00 02  # second line
            -- no register offset
            call instruction
            -- result
            0x8
            -- error
            Invalid number of operands for lock
            """, "mem.data").Value;
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0, 0, 0, 2 }, file.Memory);
        Assert.Equal(8UL, file.ExpectedResult);
        Assert.Equal("Invalid number of operands for lock", file.ExpectedError);
        Assert.Equal(["c", "no register offset"], file.OtherSectionNames);
        Assert.Equal([new Instruction(0xbf, 0, 2, 0, 0), new Instruction(0x95, 0, 0, 0, 0)], file.Program().Value);
    }

    [Theory]
    [InlineData("-- raw\n0x95\n0xzz\n", "t.data:3:1", "64-bit hex word")]
    [InlineData("-- raw\n95 00 00 00\n", "t.data:1:1", "not a whole number")]
    [InlineData("-- raw\n95 00 0g 00 00 00 00 00\n", "t.data:2:7", "hex byte")]
    [InlineData("-- raw\n0x1ffffffffffffffff\n", "t.data:2:1", "64-bit hex word")]
    [InlineData("-- mem\n00 100\n", "t.data:2:4", "hex byte")]
    [InlineData("-- result\n0x1 0x2\n", "t.data:2:5", "second")]
    [InlineData("-- result\nfoo\n", "t.data:2:1", "64-bit value")]
    [InlineData("-- result\n", "t.data:1:1", "empty")]
    [InlineData("mov %r0, 1\n-- asm\n", "t.data:1:1", "section")]
    public void Malformed_sections_give_a_location(string text, string location, string message)
    {
        var result = ConformanceTestFile.Parse(text, "t.data");
        Assert.False(result.IsOk);
        Assert.Equal(location, result.Error!.Location);
        Assert.Contains(message, result.Error.Message);
    }

    [Fact]
    public void Assembly_errors_point_into_the_data_file()
    {
        var file = ConformanceTestFile.Parse("# header\n-- asm\nmov %r0, 1\nmov %r0, %r50\nexit\n-- result\n0x1\n", "bad.data").Value;
        var program = file.Program();
        Assert.False(program.IsOk);
        Assert.Equal("bad.data:4:10", program.Error!.Location);
    }

    [Fact]
    public void Every_suite_file_parses_and_has_a_program_or_an_expected_outcome()
    {
        var files = ConformanceFiles.Tests().Concat(ConformanceFiles.Negative()).ToArray();
        foreach (var path in files)
        {
            var file = ConformanceFiles.Load(path);
            // negative/empty.data has no sections at all; a runner rejects it for having no program.
            if (file.Sections.Count == 0) Assert.False(file.Program().IsOk);
            else Assert.True(file.ExpectedResult is not null || file.ExpectsError, $"{path}: neither result nor error");
        }
        TestContext.Current.SendDiagnosticMessage($"parsed {files.Length} conformance files");
    }

    [Fact]
    public void Every_positive_test_has_a_program_and_a_result()
    {
        var files = ConformanceFiles.Tests();
        foreach (var path in files)
        {
            var file = ConformanceFiles.Load(path);
            Assert.True(file.Program().IsOk, $"{path}: {file.Program().Error}");
            Assert.NotNull(file.ExpectedResult);
        }
    }
}
