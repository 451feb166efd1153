namespace SeccompEbpf.Cli.Tests;

/// <summary>
/// The file layer refuses what a command cannot read: the wrong kind of file (with the command that
/// reads it), a directory, an empty file: all bad input (exit 3), in our words, never decoded as garbage.
/// </summary>
public sealed class WrongInputTests
{
    [Theory]
    [InlineData("disasm", "objdump")]
    [InlineData("inspect", "objdump")]
    [InlineData("asm", "objdump")]
    [InlineData("compile", "objdump")]
    public void An_ELF_object_is_refused_with_a_hint_to_objdump(string command, string hint)
    {
        using var dir = new TempDir();
        var elf = TestInputs.ElfObject(dir);
        var r = Cli.Run(command, elf).Expect(ExitCodes.BadInput, $"{elf} is an ELF object, which '{command}' does not read");
        Assert.Contains($"'seccomp-ebpf {hint} {elf}'", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void An_ELF_object_given_to_cbpf_check_is_refused_not_decoded()
    {
        using var dir = new TempDir();
        var r = Cli.Run("cbpf", "check", TestInputs.ElfObject(dir)).Expect(ExitCodes.BadInput, "is an ELF object");
        Assert.DoesNotContain("refused (EINVAL)", r.Stdout);
    }

    [Theory]
    [InlineData("disasm")]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("objdump")]
    [InlineData("exec")]
    public void A_JSON_profile_is_refused_with_a_hint_to_compile(string command)
    {
        using var dir = new TempDir();
        var profile = dir.Write("p.json", TestInputs.DenyGetppid);
        Cli.Run(command, profile).Expect(ExitCodes.BadInput, $"'seccomp-ebpf compile {profile}'");
    }

    [Fact]
    public void Text_given_to_disasm_points_to_hex_input_and_bytecode_given_to_objdump_to_disasm()
    {
        using var dir = new TempDir();
        Cli.Run("disasm", dir.Write("f.hex", "b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00\n")).Expect(ExitCodes.BadInput, "--hex-input");
        Cli.Run("objdump", dir.Write("f.bin", [0xb7, 0, 0, 0, 42, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0])).Expect(ExitCodes.BadInput, "'seccomp-ebpf disasm");
    }

    [Theory]
    [InlineData("--profile", "elf", "--filter")]
    [InlineData("--cbpf", "elf", "--filter")]
    [InlineData("--filter", "json", "--profile")]
    [InlineData("--cbpf", "json", "--profile")]
    public void A_policy_file_given_with_the_wrong_option_names_the_right_one(string option, string kind, string right)
    {
        using var dir = new TempDir();
        var file = kind == "elf" ? TestInputs.ElfObject(dir) : dir.Write("p.json", TestInputs.DenyGetppid);
        Cli.Run("simulate", option, file, "--syscall", "getpid").Expect(ExitCodes.BadInput, $"give it with {right} {file}");
    }

    public static TheoryData<string[]> ReadingCommands => new()
    {
        new[] { "asm" }, new[] { "disasm" }, new[] { "disasm", "--hex-input" }, new[] { "exec" }, new[] { "objdump" },
        new[] { "compile" }, new[] { "inspect" }, new[] { "cbpf", "check" }, new[] { "cbpf", "disasm" }, new[] { "verify" },
        new[] { "simulate", "--syscall", "getpid", "--filter" }, new[] { "simulate", "--syscall", "getpid", "--profile" },
        new[] { "simulate", "--syscall", "getpid", "--cbpf" }, new[] { "plan", "--filter" }, new[] { "simulate", "--trace" },
    };

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public void An_empty_file_is_bad_input(string[] command)
    {
        using var dir = new TempDir();
        var empty = dir.Write("empty", "");
        Cli.Run([.. command, empty]).Expect(ExitCodes.BadInput, $"{empty}: the file is empty");
    }

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public void A_directory_is_said_to_be_one_in_our_words(string[] command)
    {
        using var dir = new TempDir();
        var r = Cli.Run([.. command, dir.Path]).Expect(ExitCodes.BadInput, $"{dir.Path}: is a directory");
        Assert.DoesNotContain("Access to the path", r.Stderr);
    }

    [Fact]
    public void An_output_that_is_a_directory_is_a_usage_error_naming_it()
    {
        using var dir = new TempDir();
        Cli.Run("asm", dir.Write("f.s", "exit\n"), "-o", dir.Path).Expect(ExitCodes.Usage, $"{dir.Path}: is a directory");
    }

    [Fact]
    public void A_runaway_loop_names_the_option_that_raises_the_budget_not_a_dotnet_property()
    {
        using var dir = new TempDir();
        var r = Cli.Run("exec", dir.Write("loop.s", "r0 = 0\nl: r0 += 1\ngoto l\n"), "--budget", "100").Expect(ExitCodes.RuntimeError, "give --budget N to allow more than 100");
        Assert.DoesNotContain("BpfRunContext", r.Stderr);
    }
}
