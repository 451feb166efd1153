namespace SeccompEbpf.Cli.Tests;

/// <summary>The built seccomp-ebpf as a real process: standard input and exit statuses as a shell sees them.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public void No_arguments_exit_2_with_usage()
    {
        var r = Cli.RunProcess((string?)null);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Usage: seccomp-ebpf", r.Stdout);
    }

    [Fact]
    public void Asm_reads_standard_input()
    {
        var r = Cli.RunProcess("r0 = 42\nexit\n", "asm", "-");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("b7 00 00 00 2a 00 00 00\n95 00 00 00 00 00 00 00\n", r.Stdout.Replace("\r", ""));
    }

    [Fact]
    public void Disasm_reads_raw_bytes_and_hex_from_standard_input()
    {
        byte[] raw = [0xb7, 0, 0, 0, 0x2a, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];
        var fromBytes = Cli.RunProcess(raw, "disasm", "-");
        Assert.True(fromBytes.ExitCode == 0, fromBytes.ToString());
        Assert.Equal("r0 = 0x2a\nexit\n", fromBytes.Stdout.Replace("\r", ""));

        var fromHex = Cli.RunProcess("b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00", "disasm", "--hex-input", "-");
        Assert.True(fromHex.ExitCode == 0, fromHex.ToString());
        Assert.Equal(fromBytes.Stdout, fromHex.Stdout);
    }

    [Fact]
    public void Conformance_plugin_reads_the_program_from_stdin_and_memory_from_its_argument()
    {
        // r0 = *(u8 *)(r1 + 1); exit
        var r = Cli.RunProcess("71 10 01 00 00 00 00 00 95 00 00 00 00 00 00 00", "exec", "--conformance-plugin", "aa 7f");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("7f", r.Stdout.Trim().ToLowerInvariant().Replace("0x", ""));
    }

    [Fact]
    public void Conformance_plugin_exits_1_on_a_faulting_program()
    {
        // r0 = *(u64 *)(r1 + 4096); exit
        var r = Cli.RunProcess("79 10 00 10 00 00 00 00 95 00 00 00 00 00 00 00", "exec", "--conformance-plugin", "00");
        Assert.Equal(1, r.ExitCode);
        Assert.NotEqual("", r.Stderr);
    }

    [Fact]
    public void Exec_of_a_missing_file_exits_3()
    {
        var r = Cli.RunProcess((string?)null, "exec", "/nonexistent/dir/prog.s");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("/nonexistent/dir/prog.s", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
    }
}
