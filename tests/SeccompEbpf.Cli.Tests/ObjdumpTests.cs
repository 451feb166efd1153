namespace SeccompEbpf.Cli.Tests;

/// <summary>objdump of the example filters built with clang-19 (skipped without it), and of bad files.</summary>
public sealed class ObjdumpTests
{
    private static string CompileExample(string name) => ExampleObjects.Compile(name);

    [Fact]
    public void Objdump_shows_sections_programs_and_disassembly()
    {
        var obj = CompileExample("01_close_999");
        var r = Cli.Run("objdump", obj);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("exit", r.Stdout);
        Assert.Contains("GPL", r.Stdout, StringComparison.OrdinalIgnoreCase);
        var programs = Cli.Run("objdump", "--programs", obj);
        Assert.True(programs.ExitCode == 0, programs.ToString());
        Assert.True(programs.Stdout.Length > r.Stdout.Length, "--programs should add the relocated programs");
    }

    [Fact]
    public void Objdump_shows_maps_of_an_example_with_maps()
    {
        var obj = CompileExample("03_policy_map");
        var r = Cli.Run("objdump", obj);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("map", r.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Objdump_of_a_non_elf_file_exits_3_naming_it()
    {
        using var dir = new TempDir();
        var r = Cli.Run("objdump", dir.Write("notelf.o", "just text\n"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("notelf.o", r.Stderr);
    }

    [Fact]
    public void Objdump_of_a_truncated_object_exits_3()
    {
        var obj = CompileExample("01_close_999");
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(obj);
        var r = Cli.Run("objdump", dir.Write("cut.o", bytes[..(bytes.Length / 3)]));
        Assert.True(r.ExitCode == ExitCodes.BadInput, r.ToString());
        Assert.Contains("cut.o", r.Stderr);
    }
}
