using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Cli.Tests;

/// <summary>compile of the shared Docker profile, and inspect/simulate of what it wrote.</summary>
public sealed class CompileInspectTests
{
    private static string DockerProfile() => TestInputs.DockerProfile();

    [Fact]
    public void Docker_profile_compiles_to_raw_and_inspect_accepts_it()
    {
        using var dir = new TempDir();
        var bpf = dir.File("docker.bpf");
        var c = Cli.Run("compile", DockerProfile(), "--format", "raw", "--output", bpf, "--kernel", "6.8");
        Assert.True(c.ExitCode == 0, c.ToString());
        Assert.Contains("docker.bpf", c.Stderr);
        long bytes = new FileInfo(bpf).Length;
        Assert.True(bytes > 0 && bytes % 8 == 0, $"{bytes} bytes");

        var i = Cli.Run("inspect", bpf);
        Assert.True(i.ExitCode == 0, i.ToString());
        Assert.Contains($"{bytes / 8} instructions, accepted", i.Stdout);
        Assert.Contains("ld [4]", i.Stdout); // the arch check reads seccomp_data.arch
    }

    [Fact]
    public void Inspect_source_assembles_back_to_the_same_filter()
    {
        using var dir = new TempDir();
        var bpf = dir.File("docker.bpf");
        Assert.Equal(0, Cli.Run("compile", DockerProfile(), "--format", "raw", "--output", bpf, "--kernel", "6.8").ExitCode);
        var source = Cli.Run("inspect", bpf, "--source");
        Assert.True(source.ExitCode == 0, source.ToString());
        // Drop inspect's trailing "; N instructions..." comment line and read the source back.
        var asm = dir.Write("docker.asm", source.Stdout);
        var back = dir.File("back.bpf");
        var convert = Cli.Run("cbpf", "convert", asm, "--to", "bin", "--output", back);
        Assert.True(convert.ExitCode == 0, convert.ToString());
        Assert.Equal(File.ReadAllBytes(bpf), File.ReadAllBytes(back));
    }

    [Fact]
    public void Compiled_docker_filter_allows_read_and_refuses_reboot()
    {
        using var dir = new TempDir();
        var bpf = dir.File("docker.bpf");
        Assert.Equal(0, Cli.Run("compile", DockerProfile(), "--format", "raw", "--output", bpf, "--kernel", "6.8").ExitCode);
        var read = Cli.Run("simulate", "--filter", bpf, "--syscall", "0");
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Contains("final: ALLOW", read.Stdout, StringComparison.OrdinalIgnoreCase);
        var reboot = Cli.Run("simulate", "--filter", bpf, "--syscall", "169");
        Assert.DoesNotContain("final: ALLOW", reboot.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("asm", "ret")]
    [InlineData("c", "struct sock_filter")]
    [InlineData("pfc", "read")]
    [InlineData("json", "\"instructions\"")]
    public void Text_formats_go_to_stdout(string format, string expected)
    {
        var r = Cli.Run("compile", DockerProfile(), "--format", format, "--kernel", "6.8");
        Assert.True(r.ExitCode == 0, r.ToString()[..Math.Min(2000, r.ToString().Length)]);
        Assert.Contains(expected, r.Stdout);
    }

    [Fact]
    public void Raw_format_without_output_is_a_usage_error()
    {
        var r = Cli.Run("compile", DockerProfile(), "--format", "raw");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--output", r.Stderr);
    }

    [Theory]
    [InlineData("--format", "yaml")]
    [InlineData("--arch", "vax")]
    [InlineData("--kernel", "new")]
    [InlineData("--bad-arch", "shrug")]
    public void Bad_option_values_are_usage_errors(string option, string value)
    {
        using var dir = new TempDir();
        var profile = dir.Write("p.json", """{"defaultAction":"SCMP_ACT_ALLOW"}""");
        var r = Cli.Run("compile", profile, option, value);
        Assert.True(r.ExitCode == ExitCodes.Usage, r.ToString());
        Assert.Contains(value, r.Stderr);
    }

    [Fact]
    public void Malformed_json_exits_3_with_the_file_and_position()
    {
        using var dir = new TempDir();
        var profile = dir.Write("broken.json", "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ { \"names\": [\"read\"] \n");
        var r = Cli.Run("compile", profile);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("broken.json", r.Stderr);
        Assert.Matches(@"(line|:)\s*\d+", r.Stderr);
    }

    [Fact]
    public void Unknown_field_exits_3_with_its_json_path()
    {
        using var dir = new TempDir();
        var profile = dir.Write("typo.json", """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"acton":"SCMP_ACT_ERRNO"}]}""");
        var r = Cli.Run("compile", profile);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("typo.json", r.Stderr);
        Assert.Contains("acton", r.Stderr);
    }

    [Fact]
    public void Inspect_of_garbage_exits_3_with_the_path()
    {
        using var dir = new TempDir();
        var path = dir.Write("garbage.txt", "this is not a filter\n");
        var r = Cli.Run("inspect", path);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("garbage.txt", r.Stderr);
    }

    [Fact]
    public void Ebpf_format_runs_under_exec_with_a_seccomp_data_context()
    {
        using var dir = new TempDir();
        var program = dir.File("docker.ebpf.bin");
        var c = Cli.Run("compile", DockerProfile(), "--format", "ebpf", "--output", program, "--kernel", "6.8");
        Assert.True(c.ExitCode == 0, c.ToString());

        // struct seccomp_data: nr, arch (AUDIT_ARCH_X86_64 = 0xc000003e), instruction_pointer, args[6].
        static string Context(int nr) => $"{nr:x2} 00 00 00 3e 00 00 c0 " + string.Join(' ', Enumerable.Repeat("00", 56));
        var read = Cli.Run("exec", program, "--ctx", Context(0));
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Contains("r0 = 0x7fff0000 ", read.Stdout); // SECCOMP_RET_ALLOW
        var reboot = Cli.Run("exec", program, "--ctx", Context(169));
        Assert.True(reboot.ExitCode == 0, reboot.ToString());
        Assert.Contains("r0 = 0x50001 ", reboot.Stdout); // SECCOMP_RET_ERRNO | EPERM
    }
}
