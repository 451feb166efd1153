using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;

namespace SeccompEbpf.Tests.Classic;

/// <summary>Translated filters run by the eBPF engine must give the classic interpreter's verdicts.</summary>
public class ClassicToEbpfTranslatorTests
{
    private static uint RunTranslated(ClassicProgram program, in SeccompData data)
    {
        var translation = ClassicToEbpfTranslator.Translate(program);
        var executable = BpfEngines.Prepare(new BpfProgram("classic", translation.Instructions)).Value;
        return RunPrepared(executable, data);
    }

    private static uint RunPrepared(IBpfExecutable executable, in SeccompData data)
    {
        var bytes = data.ToBytes();
        var result = executable.RunWithContext(BpfExecutableExtensions.ThreadContext, bytes);
        Assert.True(result.IsOk, result.ToString());
        Assert.True(result.R0 <= uint.MaxValue, $"r0 = 0x{result.R0:x} is wider than 32 bits");
        return (uint)result.R0;
    }

    private static ClassicProgram Checked(string source) => ClassicChecker.Check(ClassicAssembler.Assemble(source).Value).Value;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomFiltersGiveTheSameVerdictAsTheClassicInterpreter(bool kernelSafe)
    {
        var generator = new RandomClassicFilters(new Random(kernelSafe ? 21 : 22), 1000, 1100, AuditArch.X86_64, kernelSafe);
        for (int n = 0; n < 1500; n++)
        {
            generator = generator.Next();
            var program = ClassicChecker.Check(generator.Filter()).Value;
            var executable = BpfEngines.Prepare(new BpfProgram("classic", ClassicToEbpfTranslator.Translate(program).Instructions)).Value;
            for (int i = 0; i < 8; i++)
            {
                var input = generator.Input();
                uint expected = program.Run(in input);
                uint actual = RunPrepared(executable, in input);
                if (expected != actual)
                    Assert.Fail($"filter {n} input {i}: classic 0x{expected:x8}, eBPF 0x{actual:x8}\n{ClassicDisassembler.ToListing(program.Instructions)}");
            }
        }
    }

    [Theory]
    [InlineData(0u, 0u)]            // division by X = 0 ends the filter with 0
    [InlineData(3u, 3u)]            // 9 / 3, then ret a
    public void DivisionByXAtRunTime(uint x, uint expected)
    {
        var program = Checked($"ld #9\nldx #{x}\ndiv x\nret a");
        var data = SeccompData.For(1, AuditArch.X86_64);
        Assert.Equal(expected, program.Run(in data));
        Assert.Equal(expected, RunTranslated(program, in data));
    }

    [Theory]
    [InlineData("jset #4, t, f", 4u, "t")]
    [InlineData("jset #4, t, f", 3u, "f")]
    [InlineData("jset #4, 0, f", 4u, "next")]
    [InlineData("jset #4, 0, f", 8u, "f")]
    [InlineData("jeq #4, 0, f", 4u, "next")]
    [InlineData("jgt #4, 0, f", 4u, "f")]
    [InlineData("jge #4, 0, f", 3u, "f")]
    [InlineData("jeq #4, f, f", 4u, "f")]
    [InlineData("jeq #4, 0, 0", 3u, "next")]
    [InlineData("jeq #0xffffffff, t, f", 0xffffffffu, "t")]
    [InlineData("jgt #0x80000000, t, f", 0xffffffffu, "t")]
    public void ConditionalJumpShapes(string jump, uint a, string expected)
    {
        var program = Checked($"ld [16]\n{jump}\nnext: ret #1\nt: ret #2\nf: ret #3");
        var data = SeccompData.For(1, AuditArch.X86_64, a);
        uint want = expected switch { "next" => 1u, "t" => 2u, _ => 3u };
        Assert.Equal(want, program.Run(in data));
        Assert.Equal(want, RunTranslated(program, in data));
    }

    [Fact]
    public void StartOfMapsEveryClassicInstruction()
    {
        var program = Checked("ld [0]\njeq #1, 0, 1\nret #1\nret a");
        var translation = ClassicToEbpfTranslator.Translate(program);
        Assert.Equal(program.Length, translation.StartOf.Length);
        Assert.Equal(Opcodes.Exit, translation.Instructions[^1].Opcode);
        Assert.True(translation.StartOf.SequenceEqual(translation.StartOf.Order()));
    }
}
