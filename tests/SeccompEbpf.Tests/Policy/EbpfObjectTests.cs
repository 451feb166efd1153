using System.Diagnostics;
using System.Text.RegularExpressions;
using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Elf.Writer;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// The eBPF program compiled from Docker's and Podman's profiles, written as an ELF object: our
/// loader reads back the same program, llvm-objdump-19 sees the same instructions, the loaded
/// program gives the plan's verdicts on the engine, and the seccomp verifier accepts it for an
/// unprivileged loader.
/// </summary>
public partial class EbpfObjectTests(ITestOutputHelper output)
{
    private const string Section = "seccomp", Function = "seccomp_policy";

    private static (FilterPlan Plan, Instruction[] Program) CompileOrSkip(string file)
    {
        var path = SharedProfiles.File(file, out var reason);
        Assert.SkipWhen(path is null, reason);
        var plan = PolicyResolver.Resolve(ProfileParser.ParseFile(path!).Profile!, new ProfileTarget()).Plan;
        var program = EbpfPolicyCompiler.Compile(plan);
        Assert.True(program.IsOk, program.Error?.ToString());
        return (plan, program.Value);
    }

    [Theory]
    [InlineData("docker-default.json")]
    [InlineData("podman-default.json")]
    public void ObjectLoadsBackAndGivesThePlansVerdicts(string file)
    {
        var (plan, program) = CompileOrSkip(file);
        var loaded = BpfObjectLoader.Load(BpfObjectWriter.Write(program, Section, Function).Value, file);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        Assert.Equal("GPL", loaded.Value.License);
        var found = Assert.Single(loaded.Value.Programs);
        Assert.Equal((Function, Section, ProgramSectionKind.Seccomp), (found.Name, found.SectionName, found.Kind));
        Assert.Equal(program, found.Instructions);

        var executable = BpfEngines.Prepare(new BpfProgram(found.Name, found.Instructions)).Value;
        long inputs = 0;
        foreach (var data in PolicyInputs.For(plan, 2, 11, vectorsPerRuleNumber: 4))
        {
            var result = executable.RunWithContext(BpfExecutableExtensions.ThreadContext, data.ToBytes());
            Assert.True(result.IsOk, result.ToString());
            uint expected = plan.Evaluate(in data);
            if (result.R0 != expected)
                Assert.Fail($"nr {data.Nr} arch 0x{data.Arch:x} args [{data.Args}]: plan 0x{expected:x8}, loaded object 0x{result.R0:x}");
            inputs++;
        }
        output.WriteLine($"{file}: {program.Length} instructions, {inputs:N0} inputs agree");
    }

    [Theory]
    [InlineData("docker-default.json")]
    [InlineData("podman-default.json")]
    public void LlvmObjdumpSeesTheSameInstructions(string file)
    {
        Assert.SkipUnless(ToolExists("llvm-objdump-19"), "llvm-objdump-19 is not installed (package llvm-19)");
        var (_, program) = CompileOrSkip(file);
        var path = Path.Combine(Path.GetTempPath(), $"seccomp-ebpf-{Guid.NewGuid():N}.o");
        try
        {
            File.WriteAllBytes(path, BpfObjectWriter.Write(program, Section, Function).Value);
            var text = RunTool("llvm-objdump-19", "-d", path);
            Assert.Contains($"Disassembly of section {Section}:", text);
            Assert.Contains($"<{Function}>:", text);

            // Our program holds one entry per 8-byte slot (lddw takes two); llvm-objdump prints lddw's 16 bytes on one line.
            var encoded = InstructionCodec.EncodeProgram(program);
            var lines = InstructionLine().Matches(text).ToList();
            int slot = 0;
            foreach (var line in lines)
            {
                Assert.Equal(slot, int.Parse(line.Groups[1].Value));
                var bytes = Convert.FromHexString(line.Groups[2].Value.Replace(" ", ""));
                Assert.True(slot * 8 + bytes.Length <= encoded.Length, $"llvm-objdump shows more than our {program.Length} slots");
                Assert.True(encoded.AsSpan(slot * 8, bytes.Length).SequenceEqual(bytes), $"slot {slot}: llvm-objdump shows {line.Groups[2].Value}");
                Assert.DoesNotContain("unknown", line.Groups[3].Value);
                slot += bytes.Length / 8;
            }
            Assert.Equal(program.Length, slot);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("docker-default.json")]
    [InlineData("podman-default.json")]
    public void UnprivilegedSeccompVerifierAcceptsTheProgram(string file)
    {
        var (_, program) = CompileOrSkip(file);
        var load = SeccompProgramLoader.Load(program, LoaderPrivileges.Unprivileged);
        Assert.True(load.Loaded, $"{load.RefusedBecause}: {load.Verification?.Error}");
    }

    [Fact]
    public void BadInputIsAnErrorValue()
    {
        Instruction[] one = [InstructionCodec.Decode([0x95, 0, 0, 0, 0, 0, 0, 0])];
        Assert.False(BpfObjectWriter.Write([], Section, Function).IsOk);
        Assert.False(BpfObjectWriter.Write(one, "", Function).IsOk);
        Assert.False(BpfObjectWriter.Write(one, Section, "a\0b").IsOk);
        Assert.True(BpfObjectWriter.Write(one, Section, Function).IsOk);
    }

    private static bool ToolExists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private static string RunTool(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {stderr.Result}");
        return text;
    }

    [GeneratedRegex(@"^\s*(\d+):\t([0-9a-f ]+)\t(.*)$", RegexOptions.Multiline)]
    private static partial Regex InstructionLine();
}
