namespace SeccompEbpf.Cli.Tests;

/// <summary>Every command: --help names it and its options; unknown options are usage errors (exit 2).</summary>
public sealed class CommandHelpTests
{
    /// <summary>Each command with options its help must mention (the ones users reach for first).</summary>
    public static TheoryData<string, string[]> CommandsAndOptions => new()
    {
        { "run", ["--filter", "--profile", "--cbpf", "--default", "--strict", "--log", "--"] },
        { "asm", ["--output", "--hex", "--syntax"] },
        { "disasm", ["--hex-input", "--syntax", "--labels", "--listing", "--output"] },
        { "exec", ["--mem", "--ctx", "--engine", "--trace", "--budget", "--json", "--conformance-plugin"] },
        { "simulate", ["--filter", "--syscall", "--arch", "--args", "--trace", "--json"] },
        { "cbpf", ["check", "disasm", "convert", "--to", "--output"] },
        { "objdump", ["--programs", "--json"] },
        { "compile", ["--format", "--output", "--arch", "--caps", "--kernel", "--bad-arch"] },
        { "inspect", ["--source", "--json"] },
        { "verify", ["--as", "--log-level", "--section", "--json"] },
        { "plan", ["--filter", "--profile", "--cbpf", "--arch", "--json"] },
        { "syscalls", ["--arch", "--groups", "--json", "@GROUP"] },
        { "help", ["COMMAND", "--man"] },
        { "completion", ["bash", "zsh", "fish"] },
    };

    [Fact]
    public void The_table_above_covers_every_command() =>
        Assert.Equal(CommandTable.All.Select(c => c.Name).Order(), CommandsAndOptions.Select(row => row.Data.Item1).Order());

    [Theory]
    [MemberData(nameof(CommandsAndOptions))]
    public void Help_names_the_command_and_its_options(string command, string[] options)
    {
        foreach (var flag in new[] { "--help", "-h" })
        {
            var r = Cli.Run(command, flag);
            Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
            Assert.Contains($"seccomp-ebpf {command}", r.Stdout);
            Assert.Contains("Usage", r.Stdout);
            foreach (var option in options) Assert.Contains(option, r.Stdout);
        }
    }

    [Theory]
    [MemberData(nameof(CommandsAndOptions))]
    public void Unknown_option_exits_2_and_names_the_option(string command, string[] options)
    {
        _ = options;
        var r = Cli.Run(command, "--no-such-option=1", "input.file");
        Assert.True(r.ExitCode == ExitCodes.Usage, r.ToString());
        Assert.Contains("--no-such-option", r.Stderr);
        Assert.Contains($"seccomp-ebpf {command} --help", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData("asm")]
    [InlineData("disasm")]
    [InlineData("exec")]
    [InlineData("objdump")]
    [InlineData("compile")]
    [InlineData("inspect")]
    [InlineData("cbpf", "check")]
    public void No_input_file_is_a_usage_error(params string[] args)
    {
        var r = Cli.Run(args);
        Assert.True(r.ExitCode == ExitCodes.Usage, r.ToString());
        Assert.NotEqual("", r.Stderr);
    }

    [Fact]
    public void An_option_without_its_value_is_a_usage_error()
    {
        var r = Cli.Run("asm", "x.s", "--syntax");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--syntax needs a value", r.Stderr);
    }
}
