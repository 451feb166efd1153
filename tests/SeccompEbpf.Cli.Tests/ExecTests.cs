using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Cli.Tests;

/// <summary>exec on the example, conformance files, memory options and its error exit codes.</summary>
public sealed class ExecTests
{
    [Fact]
    public void Hello_example_returns_55()
    {
        var r = Cli.Run("exec", Cli.Example("asm", "hello.asm"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("r0 = 0x37 (55", r.Stdout);
        Assert.Contains("instructions executed: 33", r.Stdout);
    }

    [Fact]
    public void Raw_and_hex_bytecode_run_like_the_assembly()
    {
        using var dir = new TempDir();
        var bin = dir.File("hello.bin");
        var hex = dir.File("hello.hex");
        Cli.Run("asm", Cli.Example("asm", "hello.asm"), "-o", bin);
        Cli.Run("asm", Cli.Example("asm", "hello.asm"), "--hex", "-o", hex);
        foreach (var path in new[] { bin, hex })
        {
            var r = Cli.Run("exec", path);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("r0 = 0x37", r.Stdout);
        }
    }

    [Fact]
    public void Conformance_data_file_runs_and_checks_its_expectation()
    {
        var tests = SharedData.TryDirectory(SharedData.ConformanceTests, out var reason);
        Assert.SkipWhen(tests is null, reason);
        var r = Cli.Run("exec", Path.Combine(tests!, "add.data"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("r0 = 0x3", r.Stdout);
        Assert.Contains("expected: 0x3 (matches)", r.Stdout);
    }

    [Fact]
    public void A_wrong_expectation_exits_1()
    {
        using var dir = new TempDir();
        var path = dir.Write("wrong.data", "-- asm\nmov %r0, 1\nexit\n-- result\n0x2\n");
        var r = Cli.Run("exec", path);
        Assert.Equal(ExitCodes.Rejected, r.ExitCode);
        Assert.Contains("DIFFERS", r.Stdout);
    }

    [Fact]
    public void Memory_is_passed_in_r1_with_its_length_in_r2()
    {
        using var dir = new TempDir();
        var path = dir.Write("mem.s", "r0 = *(u8 *)(r1 + 1)\nr0 += r2\nexit\n");
        var r = Cli.Run("exec", path, "--mem", "aa 10 cc");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("r0 = 0x13 ", r.Stdout);
    }

    [Fact]
    public void Out_of_bounds_access_exits_4_naming_the_instruction()
    {
        using var dir = new TempDir();
        var path = dir.Write("oob.s", "r0 = 0\nr0 = *(u64 *)(r1 + 64)\nexit\n");
        var r = Cli.Run("exec", path, "--mem", "00 11");
        Assert.True(r.ExitCode == ExitCodes.RuntimeError, r.ToString());
        Assert.Contains("oob.s", r.Stderr);
        Assert.Matches(@"(instruction|pc|#)\s*1\b", r.Stderr);
    }

    [Fact]
    public void Assembly_error_exits_3_with_file_line_column()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.asm", "mov %r0, 0\nmov %r99, 1\nexit\n");
        var r = Cli.Run("exec", path);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Matches(@"bad\.asm:2:\d+", r.Stderr);
    }

    [Fact]
    public void Budget_stops_an_endless_loop()
    {
        using var dir = new TempDir();
        var path = dir.Write("loop.s", "r0 = 0\nl: r0 += 1\ngoto l\n");
        var r = Cli.Run("exec", path, "--budget", "1000");
        Assert.True(r.ExitCode is ExitCodes.RuntimeError or ExitCodes.Rejected, r.ToString());
        Assert.NotEqual("", r.Stderr);
    }

    [Theory]
    [InlineData("--budget", "0")]
    [InlineData("--budget", "lots")]
    [InlineData("--engine", "quantum")]
    [InlineData("--mem", "zz")]
    public void Bad_option_values_are_usage_errors(string option, string value)
    {
        var r = Cli.Run("exec", Cli.Example("asm", "hello.asm"), option, value);
        Assert.True(r.ExitCode == ExitCodes.Usage, r.ToString());
    }

    [Fact]
    public void Plugin_mode_takes_the_program_as_an_option()
    {
        // r0 = 42; exit
        var r = Cli.Run("exec", "--conformance-plugin", "--program", "b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("2a", r.Stdout.Trim().ToLowerInvariant().Replace("0x", ""));
    }

    /// <summary>A seccomp_data for x86_64: nr, arch, instruction pointer 0, then the six arguments.</summary>
    private static string SeccompData(int nr, ulong arg0)
    {
        var bytes = new byte[64];
        BitConverter.GetBytes(nr).CopyTo(bytes, 0);
        BitConverter.GetBytes(0xc000003eu).CopyTo(bytes, 4);
        BitConverter.GetBytes(arg0).CopyTo(bytes, 16);
        return Convert.ToHexString(bytes);
    }

    [Fact]
    public void Elf_object_runs_on_a_seccomp_context_in_both_engines()
    {
        var obj = ExampleObjects.Compile("01_close_999");
        foreach (var engine in new[] { "jit", "interpreter" })
        {
            var denied = Cli.Run("exec", obj, "--ctx", SeccompData(3, 999), "--engine", engine);
            Assert.True(denied.ExitCode == 0, denied.ToString());
            Assert.Contains("r0 = 0x50001", denied.Stdout); // SECCOMP_RET_ERRNO | EPERM
            var allowed = Cli.Run("exec", obj, "--section", "close_999", "--ctx", SeccompData(3, 5), "--engine", engine);
            Assert.True(allowed.ExitCode == 0, allowed.ToString());
            Assert.Contains("r0 = 0x7fff0000", allowed.Stdout); // SECCOMP_RET_ALLOW
        }
    }

    [Fact]
    public void Elf_object_with_a_wrong_section_names_the_programs_it_has()
    {
        var obj = ExampleObjects.Compile("01_close_999");
        var r = Cli.Run("exec", obj, "--section", "nope", "--ctx", SeccompData(3, 999));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no program or section named 'nope'", r.Stderr);
        Assert.Contains("close_999", r.Stderr);
    }

    [Fact]
    public void Section_option_on_assembly_input_is_refused()
    {
        var r = Cli.Run("exec", Cli.Example("asm", "hello.asm"), "--section", "x");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("--section applies to ELF objects only", r.Stderr);
    }

    [Fact]
    public void Plugin_only_flags_outside_plugin_mode_are_a_usage_error()
    {
        var r = Cli.Run("exec", Cli.Example("asm", "hello.asm"), "--debug");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--conformance-plugin mode only", r.Stderr);
    }
}
