using System.Text.RegularExpressions;

namespace SeccompEbpf.Cli.Tests;

/// <summary>The one option layer: unknown options named with the nearest known one, short options, nothing taken as a file by mistake.</summary>
public sealed partial class OptionLayerTests
{
    [Fact]
    public void An_unknown_option_is_named_with_the_nearest_one()
    {
        Cli.Run("verify", "f.o", "--jsn").Expect(ExitCodes.Usage, "unknown option --jsn, did you mean --json?");
        var single = Cli.Run("compile", "p.json", "-format", "pfc");
        Assert.Contains("unknown option -format, did you mean --format?", single.Stderr);
    }

    [Fact]
    public void An_option_a_command_does_not_have_is_unknown_there_not_a_missing_value()
    {
        // The finding: `verify f.o --json` said "--json needs a value"; asm has no --json.
        var r = Cli.Run("asm", "f.s", "--json").Expect(ExitCodes.Usage, "unknown option --json");
        Assert.DoesNotContain("needs a value", r.Stderr);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("inspect")]
    [InlineData("disasm")]
    [InlineData("objdump")]
    public void An_unknown_short_option_is_an_option_error_not_a_file_name(string command)
    {
        var r = Cli.Run(command, "-d").Expect(ExitCodes.Usage, "unknown option -d");
        Assert.DoesNotContain("no such file", r.Stderr);
    }

    [Fact]
    public void Short_flags_combine_and_quiet_and_verbose_are_options_of_every_command()
    {
        using var dir = new TempDir();
        var text = dir.Write("f.asm", "r0 = 0\nexit\n");
        foreach (var form in new[] { "-q", "--quiet", "-v", "--verbose", "-qv" })
        {
            var r = Cli.Run("asm", form, text);
            Assert.True(r.ExitCode == ExitCodes.Ok, $"{form}: {r}");
        }
        foreach (var command in CommandTable.All)
        {
            var names = command.Syntax.AllOptions.Select(o => o.Name).ToList();
            Assert.Contains("--quiet", names);
            Assert.Contains("--verbose", names);
        }
    }

    [Fact]
    public void A_once_only_option_given_twice_is_refused_rather_than_one_value_dropped()
    {
        Cli.Run("compile", "p.json", "--output", "a", "--output", "b").Expect(ExitCodes.Usage, "--output given twice ('a' and 'b')");
    }

    [Fact]
    public void A_flag_with_a_value_and_an_option_without_one_are_usage_errors()
    {
        Assert.Contains("--hex takes no value", Cli.Run("asm", "f.s", "--hex=1").Stderr);
        Cli.Run("disasm", "f.bin", "-o").Expect(ExitCodes.Usage, "-o needs a value (-o FILE)");
    }

    [Fact]
    public void A_misspelt_command_gets_the_nearest_one()
    {
        Cli.Run("simulat", "--syscall", "getpid").Expect(ExitCodes.Usage, "unknown command 'simulat' (did you mean simulate?)");
    }

    [Fact]
    public void Help_after_double_dash_belongs_to_the_command_run_runs()
    {
        Cli.Run("run", "--filtr", "x", "--", "ls", "--help").Expect(ExitCodes.Usage, "unknown option --filtr, did you mean --filter?");
    }

    [Fact]
    public void Every_declared_option_is_in_its_commands_help_and_every_option_the_help_lists_is_declared()
    {
        foreach (var command in CommandTable.All)
        {
            var declared = command.Syntax.Options.Select(o => o.Name).ToHashSet();
            foreach (var option in declared) Assert.True(command.Help.Contains(option), $"{command.Name}: {option} is not in its help");
            // Option list lines: indented, starting with -x, or --name (the help's own syntax).
            foreach (Match m in OptionLine().Matches(command.Help))
                Assert.True(declared.Contains(m.Groups[1].Value) || CommandSyntax.Common.Any(c => c.Name == m.Groups[1].Value),
                    $"{command.Name}: its help lists {m.Groups[1].Value}, which it does not declare");
        }
    }

    [GeneratedRegex(@"^\s+(?:-[a-z], )?(--[a-z][a-z0-9-]*)", RegexOptions.Multiline)]
    private static partial Regex OptionLine();
}
