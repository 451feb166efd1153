using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Cli.Tests;

/// <summary>compile --format ebpf-object: an ELF object holding exactly the program --format ebpf writes.</summary>
public sealed class EbpfObjectCompileTests
{
    [Fact]
    public void Docker_profile_object_holds_the_raw_ebpf_program()
    {
        var profiles = SharedData.TryDirectory(SharedData.Profiles, out var reason);
        Assert.SkipWhen(profiles is null, reason);
        var profile = Path.Combine(profiles!, "docker-default.json");
        using var dir = new TempDir();
        var obj = dir.File("docker.o");
        var raw = dir.File("docker.ebpf.bin");

        var c = Cli.Run("compile", profile, "--format", "ebpf-object", "-o", obj, "--kernel", "6.8");
        Assert.True(c.ExitCode == 0, c.ToString());
        Assert.Contains("section seccomp, function seccomp_policy", c.Stderr);
        Assert.Equal(0, Cli.Run("compile", profile, "--format", "ebpf", "--output", raw, "--kernel", "6.8").ExitCode);

        var loaded = BpfObjectLoader.LoadFile(obj);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        Assert.Equal("GPL", loaded.Value.License);
        var program = Assert.Single(loaded.Value.Programs);
        Assert.Equal(File.ReadAllBytes(raw), Bpf.Isa.InstructionCodec.EncodeProgram(program.Instructions));

        var dump = Cli.Run("objdump", obj);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.Contains("seccomp_policy", dump.Stdout);
    }

    [Fact]
    public void Ebpf_object_needs_an_output_file()
    {
        var r = Cli.Run("compile", "profile.json", "--format", "ebpf-object");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--output", r.Stderr);
    }
}
