namespace SeccompEbpf.Cli.Tests;

/// <summary>What replaces what: repeated --profile stack in order, --filter replaces the default policy, --default puts it back; profiles follow their archMap.</summary>
public sealed class PolicyStackingCliTests
{
    [Fact]
    public void Two_profiles_stack_and_both_apply_oldest_first()
    {
        using var dir = new TempDir();
        var docker = TestInputs.DockerProfile();
        var noGetppid = dir.Write("noppid.json", TestInputs.DenyGetppid);
        var getppid = Cli.Run("simulate", "--profile", docker, "--profile", noGetppid, "--syscall", "getppid", "--arch", "x86_64").Expect(ExitCodes.Rejected);
        Assert.Contains("final: ERRNO(1) (from noppid.json)", getppid.Stdout.Replace(dir.Path + "/", ""));
        var reboot = Cli.Run("simulate", "--profile", docker, "--profile", noGetppid, "--syscall", "reboot", "--arch", "x86_64");
        Assert.Contains($"{docker}: ERRNO(1)", reboot.Stdout); // the first profile's rules did not vanish
        var plan = Cli.Run("plan", "--profile", docker, "--profile", noGetppid, "--arch", "x86_64");
        Assert.Contains($"policy (oldest first): {docker}, {noGetppid}", plan.Stdout);
    }

    [Fact]
    public void A_filter_replaces_the_default_policy_and_default_puts_it_back_in_the_stack()
    {
        using var dir = new TempDir();
        var noGetppid = dir.Write("noppid.json", TestInputs.DenyGetppid);
        var alone = Cli.Run("simulate", "--profile", noGetppid, "--syscall", "kexec_load", "--arch", "x86_64").Expect(ExitCodes.Ok);
        Assert.DoesNotContain("built-in default policy", alone.Stdout);
        var both = Cli.Run("simulate", "--default", "--profile", noGetppid, "--syscall", "kexec_load", "--arch", "x86_64").Expect(ExitCodes.Rejected);
        Assert.Contains("built-in default policy: ERRNO(1)", both.Stdout);
        Assert.Contains("final: ERRNO(1)", Cli.Run("simulate", "--default", "--profile", noGetppid, "--syscall", "getppid", "--arch", "x86_64").Stdout);
        var plan = Cli.Run("plan", "--default", "--profile", noGetppid, "--arch", "x86_64");
        Assert.Contains($"policy (oldest first): built-in default policy, {noGetppid}", plan.Stdout);
    }

    [Fact]
    public void Default_alone_is_the_default_policy_and_twice_is_a_usage_error()
    {
        Assert.Equal(Cli.Run("plan", "--arch", "x86_64").Stdout, Cli.Run("plan", "--default", "--arch", "x86_64").Stdout);
        Cli.Run("plan", "--default", "--default").Expect(ExitCodes.Usage, "--default given twice");
    }

    [Fact]
    public void Run_help_says_what_replaces_what()
    {
        var help = Cli.Run("run", "--help").Stdout;
        Assert.Contains("any of them replaces it", help);
        Assert.Contains("--default --filter F.o", help);
    }

    [Fact]
    public void A_profile_is_planned_for_the_ABIs_of_its_archMap_entry_as_Docker_resolves_it()
    {
        // On x86_64 Docker's archMap adds x86 and x32: an i386 call meets the profile, not the bad-arch kill.
        var plan = Cli.Run("plan", "--profile", TestInputs.DockerProfile(), "--arch", "x86_64", "--arch", "x86");
        Assert.Contains("x86 (audit arch 0x40000003)", plan.Stdout);
        var getpid = Cli.Run("simulate", "--profile", TestInputs.DockerProfile(), "--syscall", "getpid", "--arch", "x86").Expect(ExitCodes.Ok);
        Assert.Contains("final: ALLOW", getpid.Stdout);
    }
}
