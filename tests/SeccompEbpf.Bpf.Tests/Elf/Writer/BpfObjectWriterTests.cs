using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Elf.Writer;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Elf.Writer;

/// <summary>The writer's objects, read back by our ELF reader and loader: sections, symbols, license and code.</summary>
public class BpfObjectWriterTests
{
    // r0 = 0x7fff000000000001 ll; r0 += 1; exit — a two-slot lddw in the middle checks slot handling.
    private static readonly Instruction[] Program = InstructionCodec.DecodeProgram(Convert.FromHexString(
        "1800000001000000" + "000000000000ff7f" + "0700000001000000" + "9500000000000000")).Value;

    [Fact]
    public void ProgramLicenseAndSymbolsReadBack()
    {
        var bytes = BpfObjectWriter.Write(Program, "seccomp/demo", "demo_filter", "Dual MIT/GPL").Value;
        var loaded = BpfObjectLoader.Load(bytes, "demo.o");
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        var obj = loaded.Value;
        Assert.Equal("Dual MIT/GPL", obj.License);
        var program = Assert.Single(obj.Programs);
        Assert.Equal(("demo_filter", "seccomp/demo", ProgramSectionKind.Seccomp), (program.Name, program.SectionName, program.Kind));
        Assert.Equal(Program, program.Instructions);

        Assert.Equal(["", "seccomp/demo", "license", ".strtab", ".symtab", ".shstrtab"], obj.Elf.Sections.Select(s => s.Name));
        var function = Assert.Single(obj.Elf.Symbols, s => s.IsFunction);
        Assert.Equal(("demo_filter", 0UL, (ulong)Program.Length * 8, 1), (function.Name, function.Value, function.Size, function.SectionIndex));
        Assert.True(function.IsGlobal);
        Assert.Empty(obj.Warnings);
    }

    [Fact]
    public void OutputIsDeterministic() =>
        Assert.Equal(BpfObjectWriter.Write(Program, "seccomp", "f").Value, BpfObjectWriter.Write(Program, "seccomp", "f").Value);

    [Theory]
    [InlineData("", "f", "GPL")]
    [InlineData("seccomp", "", "GPL")]
    [InlineData("sec\0comp", "f", "GPL")]
    [InlineData("seccomp", "f", "G\0PL")]
    public void BadNamesAreErrorValues(string section, string function, string license)
    {
        var result = BpfObjectWriter.Write(Program, section, function, license);
        Assert.False(result.IsOk);
        Assert.False(string.IsNullOrEmpty(result.Error!.Message));
    }

    [Fact]
    public void EmptyProgramIsAnErrorValue() => Assert.False(BpfObjectWriter.Write([], "seccomp", "f").IsOk);
}
