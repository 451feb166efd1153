namespace SeccompEbpf.Cli.Tests;

/// <summary>`seccomp-ebpf` itself: overview, --version, help TOPIC, unknown commands.</summary>
public sealed class TopLevelTests
{
    [Fact]
    public void No_arguments_print_the_overview_and_exit_2()
    {
        var r = Cli.Run();
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("Usage: seccomp-ebpf COMMAND", r.Stdout);
    }

    [Fact]
    public void Help_lists_every_command_with_its_summary()
    {
        var r = Cli.Run("--help");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        foreach (var command in CommandTable.All)
            Assert.Contains($"  {command.Name,-12} {command.Summary}", r.Stdout);
    }

    [Fact]
    public void Version_prints_name_and_version()
    {
        var r = Cli.Run("--version");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Matches(@"^seccomp-ebpf \d+\.\d+", r.Stdout);
    }

    [Fact]
    public void Help_topic_prints_that_commands_help()
    {
        foreach (var command in CommandTable.All)
        {
            var r = Cli.Run("help", command.Name);
            Assert.Equal(ExitCodes.Ok, r.ExitCode);
            Assert.Equal(command.Help.TrimEnd(), r.Stdout.TrimEnd());
        }
    }

    [Fact]
    public void Help_for_an_unknown_topic_falls_back_to_the_overview()
    {
        var r = Cli.Run("help", "no-such-command");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Contains("Commands:", r.Stdout);
    }

    [Fact]
    public void Unknown_command_exits_2_and_names_it()
    {
        var r = Cli.Run("frobnicate");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("unknown command 'frobnicate'", r.Stderr);
    }

    [Fact]
    public void Command_names_are_unique() =>
        Assert.Equal(CommandTable.All.Length, CommandTable.All.Select(c => c.Name).Distinct().Count());
}
