namespace SeccompEbpf.Cli.Tests;

/// <summary>Nothing silently dropped: a misspelt name is warned about by every command that reads profiles; expected absences are quiet; --strict, -q, --caps.</summary>
public sealed class ProfileNamesCliTests
{
    public static TheoryData<string[]> ProfileCommands => new()
    {
        new[] { "simulate", "--syscall", "getpid", "--profile" },
        new[] { "plan", "--profile" },
        new[] { "compile", "--format", "pfc" },
    };

    [Theory]
    [MemberData(nameof(ProfileCommands))]
    public void A_misspelt_name_is_warned_about_once_with_the_nearest_name(string[] command)
    {
        using var dir = new TempDir();
        var r = Cli.Run([.. command, dir.Write("typo.json", TestInputs.Misspelt)]).Expect(ExitCodes.Ok);
        var line = Assert.Single(r.Stderr.Split('\n'), l => l.Contains("getpidd"));
        Assert.Contains("typo.json", line);
        Assert.Contains("warning: $.syscalls[0].names[0]", line);
        Assert.Contains("did you mean getpid?", line);
    }

    [Theory]
    [MemberData(nameof(ProfileCommands))]
    public void Strict_makes_it_an_error_and_quiet_silences_it(string[] command)
    {
        using var dir = new TempDir();
        var typo = dir.Write("typo.json", TestInputs.Misspelt);
        Cli.Run([.. command, typo, "--strict"]).Expect(ExitCodes.BadInput, "getpidd");
        var quiet = Cli.Run([.. command, typo, "-q"]).Expect(ExitCodes.Ok);
        Assert.Equal("", quiet.Stderr);
    }

    [Fact]
    public void Compile_of_Dockers_profile_does_not_list_each_ABIs_absent_names_unless_verbose()
    {
        var docker = TestInputs.DockerProfile();
        var plain = Cli.Run("compile", docker, "--format", "pfc").Expect(ExitCodes.Ok);
        Assert.DoesNotContain("unknown on this architecture", plain.Stderr);
        var verbose = Cli.Run("compile", docker, "--format", "pfc", "--verbose");
        Assert.Contains("x86_64: ", verbose.Stderr);
        Assert.Contains("unknown on this architecture", verbose.Stderr);
    }

    [Fact]
    public void Caps_values_are_checked_and_the_nearest_capability_named()
    {
        using var dir = new TempDir();
        var profile = dir.Write("p.json", TestInputs.DenyGetppid);
        Cli.Run("compile", profile, "--caps", "CAP_SYS_ADMN").Expect(ExitCodes.Usage, "'CAP_SYS_ADMN' is not a Linux capability (did you mean CAP_SYS_ADMIN?)");
        Assert.Equal(ExitCodes.Usage, Cli.Run("compile", profile, "--caps", "FOO").ExitCode);
        foreach (var good in new[] { "sys_admin,net_raw", "CAP_SYS_ADMIN", "none", "all" })
            Assert.Equal(ExitCodes.Ok, Cli.Run("compile", profile, "--caps", good).ExitCode);
    }

    [Fact]
    public void Caps_change_what_Dockers_profile_allows()
    {
        var docker = TestInputs.DockerProfile();
        // The listing names each rule's call in a comment: "if ($syscall == 321)   # bpf".
        Assert.Contains("# bpf\n", Cli.Run("compile", docker, "--format", "pfc", "--caps", "sys_admin", "--arch", "x86_64").Stdout);
        Assert.DoesNotContain("# bpf\n", Cli.Run("compile", docker, "--format", "pfc", "--caps", "none", "--arch", "x86_64").Stdout);
    }
}
