using SeccompEbpf.Classic;
using SeccompEbpf.Cli;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Classic.ClassicInstruction;

namespace SeccompEbpf.Linux.Tests.Cli;

/// <summary>`seccomp-ebpf run` as a user calls it: options, errors and a raw cBPF filter file.</summary>
[Collection(EnforcementCollection.Name)]
public sealed class RunCommandTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliMain.Run(["run", .. args], stdout, stderr);
        return (code, stderr.ToString());
    }

    [Fact]
    public void No_command_is_a_usage_error()
    {
        var (code, err) = Run("--cbpf", "f.bin");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no command given", err);
    }

    [Fact]
    public void Bad_map_key_is_a_usage_error_that_says_what_is_expected()
    {
        var (code, err) = Run("--map-key", "allowed_paths", "--", "/bin/true");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("MAP=TEXT", err);
    }

    [Fact]
    public void Unreadable_cbpf_file_is_bad_input_naming_the_file()
    {
        var (code, err) = Run("--cbpf", "/nonexistent/f.bin", "--", "/bin/true");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("/nonexistent/f.bin", err);
    }

    [Fact]
    public void Raw_cbpf_file_is_enforced_by_the_kernel()
    {
        EnforcementEnvironment.Require();
        // uname → ERRNO(EPERM) in the kernel, everything else allowed: no listener needed.
        var uname = NativeSyscalls.Uname;
        ClassicInstruction[] program =
        [
            Stmt(Ld | W | Abs, SeccompData.ArchOffset),
            Jump(Jmp | Jeq | K_, NativeArch.AuditArchValue, 1, 0),
            Stmt(Ret | K_, SeccompAction.KillProcess),
            Stmt(Ld | W | Abs, SeccompData.NrOffset),
            Jump(Jmp | Jeq | K_, (uint)uname, 0, 1),
            Stmt(Ret | K_, SeccompAction.Errno | 1),
            Stmt(Ret | K_, SeccompAction.Allow),
        ];
        var filter = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(filter, ToBytes(program));
            // As its own process: `run` re-executes the program it runs in as the launcher.
            var start = new System.Diagnostics.ProcessStartInfo(EnforcementEnvironment.Launcher.Executable,
                [EnforcementEnvironment.CliAssembly, "run", "--cbpf", filter, "--", "/bin/sh", "-c", $"uname > /dev/null 2>&1; echo \"uname $?\" > {output}; exit 4"]);
            using var cli = System.Diagnostics.Process.Start(start)!;
            cli.WaitForExit();
            Assert.Equal(4, cli.ExitCode);
            Assert.Equal("uname 1\n", File.ReadAllText(output));
        }
        finally
        {
            File.Delete(filter);
            File.Delete(output);
        }
    }
}
