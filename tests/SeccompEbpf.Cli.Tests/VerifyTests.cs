namespace SeccompEbpf.Cli.Tests;

/// <summary>`verify` on clang-built examples and small assembly programs: verdicts, exit codes, proofs, source lines.</summary>
public sealed class VerifyTests
{
    [Fact]
    public void Example_object_is_accepted_with_its_accesses_proven()
    {
        var obj = ExampleObjects.Compile("05_openat_paths");
        var r = Cli.Run("verify", obj, "--as", "privileged");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("accepted:", r.Stdout);
        Assert.Matches(@"proven:\s+(\d+) of \1 memory accesses", r.Stdout);
        Assert.Contains("loader:  privileged", r.Stdout);
    }

    [Fact]
    public void Context_write_is_rejected_with_exit_1_and_the_rule()
    {
        using var dir = new TempDir();
        // The seccomp context is read-only.
        var r = Cli.Run("verify", dir.Write("w.s", "*(u32 *)(r1 + 0) = 1\nr0 = 0\nexit\n"));
        Assert.True(r.ExitCode == ExitCodes.Rejected, r.ToString());
        Assert.Contains("rejected:", r.Stdout);
        Assert.Contains("0:", r.Stdout);
    }

    [Fact]
    public void Loop_needs_a_privileged_loader()
    {
        using var dir = new TempDir();
        var source = dir.Write("loop.s", "r0 = 0\nloop:\nr0 += 1\nif r0 < 10 goto loop\nr0 = 0\nexit\n");
        Assert.Equal(ExitCodes.Rejected, Cli.Run("verify", source).ExitCode);
        var privileged = Cli.Run("verify", source, "--as", "privileged");
        Assert.True(privileged.ExitCode == ExitCodes.Ok, privileged.ToString());
        Assert.Contains("termination proven", privileged.Stdout);
    }

    [Fact]
    public void Unknown_loader_is_a_usage_error()
    {
        var r = Cli.Run("verify", Cli.Example("asm", "hello.asm"), "--as", "root");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--as must be one of", r.Stderr);
    }
}
