namespace SeccompEbpf.Cli.Tests;

/// <summary>`help COMMAND` and the man page made from the help texts.</summary>
public sealed class HelpCommandTests
{
    [Fact]
    public void The_man_page_holds_every_commands_help()
    {
        var r = Cli.Run("help", "--man");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.StartsWith(".TH SECCOMP-EBPF 1", r.Stdout);
        foreach (var command in CommandTable.All)
        {
            Assert.Contains($"\n.SS {command.Name}\n", r.Stdout);
            Assert.Contains(command.Help.Split('\n')[0].Replace("\\", "\\e").Trim(), r.Stdout);
        }
        // No line may start a roff request by accident.
        Assert.DoesNotContain(r.Stdout.Split('\n'), l => l.StartsWith('.') && !l.StartsWith(".TH") && !l.StartsWith(".SH") && !l.StartsWith(".SS") && l is not (".PP" or ".nf" or ".fi" or ".B seccomp-ebpf" or ".I COMMAND"));
    }

    [Fact]
    public void Help_for_a_misspelt_command_names_the_nearest_one()
    {
        var r = Cli.Run("help", "verfy");
        Assert.Contains("no command 'verfy' (did you mean verify?)", r.Stderr);
        Assert.Contains("Commands:", r.Stdout);
    }
}
