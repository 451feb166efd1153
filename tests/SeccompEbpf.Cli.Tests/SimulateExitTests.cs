namespace SeccompEbpf.Cli.Tests;

/// <summary>simulate's exit status says whether the simulated calls would run: 0 all ALLOW or LOG, 1 one refused.</summary>
public sealed class SimulateExitTests
{
    [Theory]
    [InlineData("ret #0x7fff0000", ExitCodes.Ok)]       // ALLOW
    [InlineData("ret #0x7ffc0000", ExitCodes.Ok)]       // LOG: logged, and runs
    [InlineData("ret #0x00050001", ExitCodes.Rejected)] // ERRNO(1)
    [InlineData("ret #0x80000000", ExitCodes.Rejected)] // KILL_PROCESS
    [InlineData("ret #0x7fc00000", ExitCodes.Rejected)] // USER_NOTIF: no one answers in a simulation
    public void One_call_exits_by_its_verdict(string filter, int exit)
    {
        using var dir = new TempDir();
        var r = Cli.Run("simulate", "--cbpf", dir.Write("f.asm", filter + "\n"), "--syscall", "getpid");
        Assert.True(r.ExitCode == exit, r.ToString());
    }

    [Fact]
    public void A_trace_exits_1_when_any_call_is_refused_and_0_when_none_is()
    {
        using var dir = new TempDir();
        var trace = dir.Write("t.strace", "100 getpid() = 100\n100 getppid() = 1\n");
        Cli.Run("simulate", "--profile", dir.Write("p.json", TestInputs.DenyGetppid), "--trace", trace, "--arch", "x86_64").Expect(ExitCodes.Rejected);
        Cli.Run("simulate", "--cbpf", dir.Write("allow.asm", "ret #0x7fff0000\n"), "--trace", trace, "--arch", "x86_64").Expect(ExitCodes.Ok);
    }

    [Fact]
    public void Simulate_takes_map_key_as_run_does()
    {
        using var dir = new TempDir();
        Cli.Run("simulate", "--cbpf", dir.Write("allow.asm", "ret #0x7fff0000\n"), "--map-key", "allowed_paths=/etc/hostname", "--syscall", "getpid").Expect(ExitCodes.BadInput, "--map-key allowed_paths=...: no eBPF filter has a map named 'allowed_paths'");
        Assert.Equal(ExitCodes.Usage, Cli.Run("simulate", "--map-key", "nomapkey", "--syscall", "getpid").ExitCode);
    }

    [Fact]
    public void A_misspelt_syscall_gets_the_nearest_name_and_another_ABIs_call_names_that_ABI()
    {
        Cli.Run("simulate", "--syscall", "getpidd", "--arch", "x86_64").Expect(ExitCodes.Usage, "'getpidd' is not a system call of x86_64 (did you mean getpid?)");
        var i386 = Cli.Run("simulate", "--syscall", "_llseek", "--arch", "x86_64");
        Assert.Contains("(it is one of x86", i386.Stderr);
    }
}
