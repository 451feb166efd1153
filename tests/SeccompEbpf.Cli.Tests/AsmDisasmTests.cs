namespace SeccompEbpf.Cli.Tests;

/// <summary>asm and disasm as users chain them: files in, files out, errors with FILE:LINE:COLUMN.</summary>
public sealed class AsmDisasmTests
{
    private static readonly string Hello = Cli.Example("asm", "hello.asm");

    [Fact]
    public void Asm_prints_hex_one_instruction_per_line()
    {
        using var dir = new TempDir();
        var r = Cli.Run("asm", dir.Write("p.s", "r0 = 42\nexit\n"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("b7 00 00 00 2a 00 00 00\n95 00 00 00 00 00 00 00\n", r.Stdout.Replace("\r", ""));
    }

    [Fact]
    public void Asm_then_disasm_then_asm_gives_the_same_bytes()
    {
        using var dir = new TempDir();
        var bin = dir.File("hello.bin");
        Assert.Equal(0, Cli.Run("asm", Hello, "-o", bin).ExitCode);
        Assert.Equal(6 * 8, new FileInfo(bin).Length);

        foreach (var syntax in new[] { "llvm", "conformance" })
        {
            var text = dir.File($"hello.{syntax}.s");
            var d = Cli.Run("disasm", bin, "--syntax", syntax, "--labels", "-o", text);
            Assert.True(d.ExitCode == 0, d.ToString());
            var again = dir.File($"again.{syntax}.bin");
            var a = Cli.Run("asm", text, "--output", again);
            Assert.True(a.ExitCode == 0, a.ToString());
            Assert.Equal(File.ReadAllBytes(bin), File.ReadAllBytes(again));
        }
    }

    [Fact]
    public void Disasm_reads_asms_hex_output()
    {
        using var dir = new TempDir();
        var hex = dir.File("hello.hex");
        Assert.Equal(0, Cli.Run("asm", Hello, "--hex", "-o", hex).ExitCode);
        var r = Cli.Run("disasm", "--hex-input", hex);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("r0 = 0", r.Stdout);
        Assert.Contains("exit", r.Stdout);
    }

    [Fact]
    public void Asm_error_names_file_line_and_column()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.s", "r0 = 1\nr0 = frobnicate\nexit\n");
        var r = Cli.Run("asm", path);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Matches(@"bad\.s:2:\d+", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Asm_unknown_syntax_is_a_usage_error()
    {
        var r = Cli.Run("asm", Hello, "--syntax", "intel");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("intel", r.Stderr);
    }

    [Fact]
    public void Disasm_of_a_truncated_file_exits_3_with_the_path()
    {
        using var dir = new TempDir();
        var path = dir.Write("short.bin", new byte[] { 0xb7, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0 });
        var r = Cli.Run("disasm", path);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("short.bin", r.Stderr);
    }

    [Fact]
    public void Disasm_of_bad_hex_exits_3_with_the_path()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.hex", "b7 00 zz\n");
        var r = Cli.Run("disasm", "--hex-input", path);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("bad.hex", r.Stderr);
    }

    [Fact]
    public void Disasm_listing_shows_slot_indexes()
    {
        using var dir = new TempDir();
        var bin = dir.File("h.bin");
        Cli.Run("asm", Hello, "-o", bin);
        var r = Cli.Run("disasm", bin, "--listing");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"(?m)^\s*5:.*95 00 00 00 00 00 00 00", r.Stdout);
    }

    [Fact]
    public void Disasm_of_less_than_one_instruction_does_not_point_at_instruction_minus_1()
    {
        using var dir = new TempDir();
        var r = Cli.Run("disasm", dir.Write("seven.bin", new byte[] { 0x95, 0, 0, 0, 0, 0, 0 }));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("seven.bin", r.Stderr);
        Assert.Contains("7 bytes", r.Stderr);
        // The message names the file, whose temporary directory's random name may itself contain "-1".
        Assert.DoesNotContain("-1", r.Stderr.Replace(dir.Path, "DIR"));
    }

    [Fact]
    public void Empty_or_comment_only_source_is_an_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        var output = dir.File("out.bin");
        var r = Cli.Run("asm", dir.Write("empty.s", "# nothing here\n"), "-o", output);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no instructions", r.Stderr);
        Assert.False(File.Exists(output), "no output file for an empty program");
    }
}
