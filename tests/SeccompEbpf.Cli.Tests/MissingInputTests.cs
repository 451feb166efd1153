namespace SeccompEbpf.Cli.Tests;

/// <summary>An input file that is not there: exit 3 (bad input) with the path in the message, never a crash.</summary>
public sealed class MissingInputTests
{
    private static readonly string Missing = Path.Combine(Path.GetTempPath(), "seccomp-ebpf-no-such-dir", "missing.input");

    public static TheoryData<string[]> Commands => new()
    {
        new[] { "asm", Missing },
        new[] { "disasm", Missing },
        new[] { "disasm", "--hex-input", Missing },
        new[] { "exec", Missing },
        new[] { "exec", Missing + ".data" },
        new[] { "objdump", Missing },
        new[] { "compile", Missing },
        new[] { "inspect", Missing },
        new[] { "cbpf", "check", Missing },
        new[] { "cbpf", "disasm", Missing },
        new[] { "simulate", "--filter", Missing, "--syscall", "1" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Missing_file_exits_3_naming_the_path(string[] args)
    {
        var r = Cli.Run(args);
        Assert.True(r.ExitCode == ExitCodes.BadInput, r.ToString());
        Assert.Contains("missing.input", r.Stderr);
    }

    [Fact]
    public void A_directory_instead_of_a_file_exits_3()
    {
        using var dir = new TempDir();
        foreach (var command in new[] { "asm", "disasm", "exec", "objdump", "compile", "inspect" })
        {
            var r = Cli.Run(command, dir.Path);
            Assert.True(r.ExitCode == ExitCodes.BadInput, $"{command}: {r}");
            Assert.Contains(dir.Path, r.Stderr);
        }
    }
}
