namespace SeccompEbpf.Cli.Tests;

/// <summary>cbpf and simulate basics on a small bpf_asm filter written by hand.</summary>
public sealed class ClassicTests
{
    // Denies getpid (39) with EPERM on x86_64, allows the rest; kills other arches.
    private const string DenyGetpid = """
        ld [4]
        jne #0xc000003e, kill
        ld [0]
        jeq #39, deny
        ret #0x7fff0000
        deny: ret #0x50001
        kill: ret #0
        """;

    [Fact]
    public void Cbpf_check_accepts_a_valid_filter()
    {
        using var dir = new TempDir();
        var r = Cli.Run("cbpf", "check", dir.Write("f.asm", DenyGetpid));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("accepted, 7 instructions", r.Stdout);
    }

    [Fact]
    public void Cbpf_check_refuses_what_the_kernel_refuses_with_exit_1()
    {
        using var dir = new TempDir();
        // seccomp filters may only load 32-bit aligned words inside seccomp_data.
        var r = Cli.Run("cbpf", "check", dir.Write("f.asm", "ld [2]\nret #0x7fff0000\n"));
        Assert.True(r.ExitCode == ExitCodes.Rejected, r.ToString());
        Assert.Contains("refused", r.Stdout);
    }

    [Fact]
    public void Cbpf_converts_between_formats_and_back()
    {
        using var dir = new TempDir();
        var asm = dir.Write("f.asm", DenyGetpid);
        var bin = dir.File("f.bin");
        Assert.Equal(0, Cli.Run("cbpf", "convert", asm, "--to", "bin", "--output", bin).ExitCode);
        Assert.Equal(7 * 8, new FileInfo(bin).Length);
        var ddd = Cli.Run("cbpf", "convert", bin, "--to", "ddd");
        Assert.True(ddd.ExitCode == 0, ddd.ToString());
        Assert.StartsWith("7\n", ddd.Stdout.Replace("\r", ""));
        var back = dir.File("back.bin");
        Assert.Equal(0, Cli.Run("cbpf", "convert", dir.Write("f.ddd", ddd.Stdout), "--to", "bin", "--output", back).ExitCode);
        Assert.Equal(File.ReadAllBytes(bin), File.ReadAllBytes(back));
    }

    [Fact]
    public void Cbpf_usage_errors_exit_2()
    {
        using var dir = new TempDir();
        var asm = dir.Write("f.asm", DenyGetpid);
        Assert.Equal(ExitCodes.Usage, Cli.Run("cbpf", "explode", asm).ExitCode);
        Assert.Equal(ExitCodes.Usage, Cli.Run("cbpf", "convert", asm).ExitCode);
        Assert.Equal(ExitCodes.Usage, Cli.Run("cbpf", "convert", asm, "--to", "pdf").ExitCode);
        Assert.Equal(ExitCodes.Usage, Cli.Run("cbpf", "convert", asm, "--to", "bin").ExitCode);
    }

    [Fact]
    public void Cbpf_syntax_error_exits_3_with_the_line()
    {
        using var dir = new TempDir();
        var r = Cli.Run("cbpf", "check", dir.Write("bad.asm", "ld [0]\njeq #39 nowhere\nret #0\n"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Matches(@"bad\.asm:2", r.Stderr);
    }

    [Fact]
    public void Simulate_shows_the_filters_verdict()
    {
        using var dir = new TempDir();
        var filter = dir.Write("f.asm", DenyGetpid);
        var getpid = Cli.Run("simulate", "--filter", filter, "--syscall", "39");
        Assert.True(getpid.ExitCode == ExitCodes.Rejected, getpid.ToString());
        Assert.Contains("ERRNO", getpid.Stdout, StringComparison.OrdinalIgnoreCase);
        var read = Cli.Run("simulate", "--filter", filter, "--syscall", "0", "--args", "3,0x1000,-1");
        Assert.Contains("final: ALLOW", read.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ExitCodes.Ok, read.ExitCode);
        var other = Cli.Run("simulate", "--filter", filter, "--syscall", "39", "--arch", "aarch64");
        Assert.Contains("KILL", other.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Simulate_prints_an_unknown_action_as_the_kill_the_kernel_makes_of_it()
    {
        using var dir = new TempDir();
        var r = Cli.Run("simulate", "--cbpf", dir.Write("odd.asm", "ret #0x5dfe40a8\n"), "--syscall", "39");
        Assert.True(r.ExitCode == ExitCodes.Rejected, r.ToString());
        Assert.Contains("final: KILL_PROCESS (unknown action 0x5dfe40a8)", r.Stdout);
        Assert.DoesNotContain("UNKNOWN", r.Stdout);
    }

    [Fact]
    public void Simulate_json_is_machine_readable()
    {
        using var dir = new TempDir();
        var r = Cli.Run("simulate", "--filter", dir.Write("f.asm", DenyGetpid), "--syscall", "39", "--json");
        Assert.True(r.ExitCode == ExitCodes.Rejected, r.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.Equal(39, doc.RootElement.GetProperty("nr").GetInt32());
    }

    [Theory]
    [InlineData("--syscall", "no_such_syscall")]
    [InlineData("--arch", "vax")]
    [InlineData("--args", "1,2,3,4,5,6,7")]
    [InlineData("--args", "x")]
    public void Simulate_bad_values_are_usage_errors(string option, string value)
    {
        using var dir = new TempDir();
        var args = new List<string> { "simulate", "--filter", dir.Write("f.asm", DenyGetpid), option, value };
        if (option != "--syscall") args.AddRange(["--syscall", "1"]);
        var r = Cli.Run([.. args]);
        Assert.True(r.ExitCode == ExitCodes.Usage, r.ToString());
    }

    [Fact]
    public void Simulate_needs_a_syscall_or_a_trace() =>
        Assert.Equal(ExitCodes.Usage, Cli.Run("simulate", "--filter", "f.asm").ExitCode);

    [Fact]
    public void Simulate_without_a_policy_runs_the_built_in_default_policy_as_run_does()
    {
        var kexec = Cli.Run("simulate", "--syscall", "kexec_load", "--arch", "x86_64");
        Assert.True(kexec.ExitCode == ExitCodes.Rejected, kexec.ToString());
        Assert.Contains("built-in default policy: ERRNO(1)", kexec.Stdout);
        Assert.Contains("final: ERRNO(1)", kexec.Stdout);
        Assert.Contains("final: ALLOW", Cli.Run("simulate", "--syscall", "write", "--arch", "x86_64").Stdout);
    }
}
