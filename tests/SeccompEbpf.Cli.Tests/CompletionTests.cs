using System.Diagnostics;

namespace SeccompEbpf.Cli.Tests;

/// <summary>The completion scripts, run in the real shells: commands, options, choices from the declarations (skipped where a shell is not installed).</summary>
public sealed class CompletionTests
{
    private static (int Code, string Output) Shell(string shell, string script)
    {
        bool installed = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, shell)));
        Assert.SkipUnless(installed, $"{shell} is not installed (scripts/install-prerequisites.sh installs it)");
        var psi = new ProcessStartInfo(shell) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit(30_000);
        return (p.ExitCode, output.Result + error.Result);
    }

    private static string Script(string shell, TempDir dir) => dir.Write($"c.{shell}", Cli.Run("completion", shell).Stdout);

    /// <summary>What bash offers for the words typed (the last one being completed).</summary>
    private static string Bash(string script, params string[] words)
    {
        var quoted = string.Join(' ', words.Select(w => $"'{w}'"));
        var (code, output) = Shell("bash", $"source '{script}'\nCOMP_WORDS=(seccomp-ebpf {quoted}); COMP_CWORD={words.Length}; _seccomp_ebpf; echo \"${{COMPREPLY[*]}}\"\n");
        Assert.True(code == 0, output);
        return output.Trim();
    }

    [Fact]
    public void Bash_completes_commands_options_and_their_choices()
    {
        using var dir = new TempDir();
        var script = Script("bash", dir);
        Assert.Equal("simulate syscalls", Bash(script, "s"));
        Assert.Equal("--json", Bash(script, "verify", "--js"));
        Assert.Equal("raw", Bash(script, "compile", "p.json", "--format", "r"));
        Assert.Equal("check convert", Bash(script, "cbpf", "c"));
        Assert.Equal("zsh", Bash(script, "completion", "z"));
        Assert.Contains("--default", Bash(script, "run", "--d").Split(' '));
    }

    [Fact]
    public void Zsh_loads_the_script_and_defines_the_completion()
    {
        using var dir = new TempDir();
        var (code, output) = Shell("zsh", $"source '{Script("zsh", dir)}' && whence -w _seccomp_ebpf\n");
        Assert.True(code == 0, output);
        Assert.Contains("_seccomp_ebpf: function", output);
    }

    [Fact]
    public void Fish_completes_commands_and_choices()
    {
        using var dir = new TempDir();
        var (code, output) = Shell("fish", $"source '{Script("fish", dir)}'; complete -C 'seccomp-ebpf compile p.json --format r'; complete -C 'seccomp-ebpf sim'\n");
        Assert.True(code == 0, output);
        Assert.Contains("raw", output);
        Assert.Contains("simulate\t", output);
    }

    [Fact]
    public void An_unknown_shell_is_a_usage_error_with_the_nearest_one()
    {
        Cli.Run("completion", "bsh").Expect(ExitCodes.Usage, "did you mean bash?");
    }
}
