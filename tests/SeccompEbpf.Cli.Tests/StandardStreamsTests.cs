namespace SeccompEbpf.Cli.Tests;

/// <summary>'-' is standard output for every -o and standard input for every input file; no file named "-" is ever written.</summary>
public sealed class StandardStreamsTests
{
    private const string Allow = """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["reboot"],"action":"SCMP_ACT_ERRNO"}]}""";

    [Theory]
    [InlineData("raw")]
    [InlineData("ebpf")]
    [InlineData("ebpf-object")]
    [InlineData("c")]
    public void Compile_o_dash_writes_what_o_FILE_writes_to_standard_output(string format)
    {
        using var dir = new TempDir();
        var profile = dir.Write("p.json", Allow);
        var file = dir.File("out");
        Assert.Equal(ExitCodes.Ok, Cli.Run("compile", profile, "--format", format, "-o", file).ExitCode);
        var r = Cli.RunProcessIn(dir.Path, (byte[]?)null, "compile", profile, "--format", format, "-o", "-");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Equal(File.ReadAllBytes(file), r.StdoutBytes);
        Assert.False(File.Exists(Path.Combine(dir.Path, "-")), "a file named '-' was written");
    }

    [Fact]
    public void Asm_o_dash_writes_the_raw_bytecode_to_standard_output()
    {
        using var dir = new TempDir();
        var r = Cli.RunProcessIn(dir.Path, "r0 = 42\nexit\n"u8.ToArray(), "asm", "-", "-o", "-");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Equal(new byte[] { 0xb7, 0, 0, 0, 42, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 }, r.StdoutBytes);
        Assert.False(File.Exists(Path.Combine(dir.Path, "-")), "a file named '-' was written");
    }

    [Fact]
    public void Cbpf_convert_to_bin_o_dash_writes_sock_filter_bytes_to_standard_output()
    {
        using var dir = new TempDir();
        var r = Cli.RunProcessIn(dir.Path, "ret #0x7fff0000\n"u8.ToArray(), "cbpf", "convert", "-", "--to", "bin", "-o", "-");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Equal(new byte[] { 0x06, 0, 0, 0, 0, 0, 0xff, 0x7f }, r.StdoutBytes);
    }

    [Fact]
    public void A_raw_filter_on_standard_input_is_read_by_inspect_and_simulate()
    {
        using var dir = new TempDir();
        var bpf = dir.File("f.bpf");
        Assert.Equal(ExitCodes.Ok, Cli.Run("compile", dir.Write("p.json", Allow), "--format", "raw", "-o", bpf).ExitCode);
        var bytes = File.ReadAllBytes(bpf);
        var inspect = Cli.RunProcess(bytes, "inspect", "-");
        Assert.True(inspect.ExitCode == ExitCodes.Ok, inspect.ToString());
        Assert.Contains("accepted by the kernel's seccomp checker", inspect.Stdout);
        var simulate = Cli.RunProcess(bytes, "simulate", "--cbpf", "-", "--syscall", "reboot", "--arch", "x86_64");
        Assert.Contains("final: ERRNO", simulate.Stdout);
        Assert.Contains("<stdin>", simulate.Stdout);
    }

    [Fact]
    public void A_profile_and_an_object_on_standard_input_are_read_by_compile_plan_verify_objdump_and_exec()
    {
        using var dir = new TempDir();
        Assert.Equal(ExitCodes.Ok, Cli.RunProcess(Allow, "compile", "-", "--format", "pfc").ExitCode);
        Assert.Contains("kernel ERRNO", Cli.RunProcess(Allow, "plan", "--profile", "-", "--arch", "x86_64").Stdout);
        var elf = File.ReadAllBytes(TestInputs.ElfObject(dir));
        foreach (var args in new[] { new[] { "verify", "-" }, ["objdump", "-"], ["exec", "-", "--ctx", string.Join(' ', Enumerable.Repeat("00", 64))], ["simulate", "--filter", "-", "--syscall", "getpid"] })
        {
            var r = Cli.RunProcess(elf, args);
            Assert.True(r.ExitCode == ExitCodes.Ok, $"{string.Join(' ', args)}: {r}");
        }
    }

    [Fact]
    public void Binary_output_to_a_terminal_is_refused_in_process_writers_get_the_bytes()
    {
        // In process, standard output is a StringWriter: one char per byte, so nothing is lost.
        using var dir = new TempDir();
        var r = Cli.Run("compile", dir.Write("p.json", Allow), "--format", "raw", "-o", "-");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal(0, r.Stdout.Length % 8);
        Assert.Equal(0x20, r.Stdout[0]); // BPF_LD|BPF_W|BPF_ABS: the arch check comes first
    }
}
