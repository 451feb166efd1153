using System.Text;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Bpf.Tests.Conformance;

/// <summary>
/// The plugin protocol of the bpf_conformance runner, exercised in-process the way the runner
/// drives a plugin: program bytes as "b7  00  ..." text, memory as one hex argument, r0 in hex back.
/// </summary>
public class ConformancePluginTests(ITestOutputHelper output)
{
    /// <summary>The runner's own encoding: two hex digits and two spaces per byte.</summary>
    private static string RunnerHex(IEnumerable<byte> bytes) => string.Concat(bytes.Select(b => $"{b:x2}  "));

    private static (int Exit, string Stdout, string Stderr) Plugin(string program, string? memory)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = ConformancePlugin.Run(program, memory, EngineKind.Interpreter, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void PrintsR0InHexWithoutPrefix()
    {
        var program = InstructionCodec.EncodeProgram([new Instruction(0xb7, 0, 0, 0, 0x2a), new Instruction(0x95, 0, 0, 0, 0)]);
        var (exit, stdout, _) = Plugin(RunnerHex(program), null);
        Assert.Equal(0, exit);
        Assert.Equal("2a", stdout.Trim());
    }

    [Fact]
    public void PassesTheMemoryInR1AndItsLengthInR2()
    {
        // r0 = r2 (length) * 256 + first byte of memory
        var program = InstructionCodec.EncodeProgram([
            new Instruction(0xbf, 0, 2, 0, 0), new Instruction(0x67, 0, 0, 0, 8),
            new Instruction(0x71, 3, 1, 0, 0), new Instruction(0x0f, 0, 3, 0, 0), new Instruction(0x95, 0, 0, 0, 0)]);
        var (exit, stdout, _) = Plugin(RunnerHex(program), "aa  bb  cc  ");
        Assert.Equal(0, exit);
        Assert.Equal("3aa", stdout.Trim());
    }

    [Fact]
    public void RefusedOrFaultingProgramsExitWithOneAndSayWhy()
    {
        var bad = Plugin("07 10 00 00 01 00 00 00 95 00 00 00 00 00 00 00", null);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("unused field src", bad.Stderr);
        var fault = Plugin(RunnerHex(InstructionCodec.EncodeProgram([new Instruction(0x79, 0, 1, 0, 0), new Instruction(0x95, 0, 0, 0, 0)])), null);
        Assert.Equal(1, fault.Exit);
        Assert.Contains("instruction 0", fault.Stderr);
        var garbage = Plugin("zz", null);
        Assert.Equal(1, garbage.Exit);
        Assert.Contains("not a hex byte", garbage.Stderr);
    }

    [Fact]
    public void TheWholeSuitePassesThroughThePluginProtocol()
    {
        int passed = 0, total = 0;
        foreach (var path in ConformanceFiles.Tests())
        {
            var test = ConformanceFiles.Load(path);
            var code = test.Program();
            Assert.True(code.IsOk, $"{path}: {code.Error}");
            total++;
            var (exit, stdout, stderr) = Plugin(RunnerHex(InstructionCodec.EncodeProgram(code.Value)),
                test.Memory.Length > 0 ? RunnerHex(test.Memory) : null);
            bool ok = test.ExpectsError
                ? exit != 0
                : exit == 0 && ulong.Parse(stdout.Trim(), System.Globalization.NumberStyles.HexNumber) == test.ExpectedResult;
            if (ok) passed++;
            else output.WriteLine($"FAIL {Path.GetFileName(path)}: exit {exit}, stdout '{stdout.Trim()}', stderr '{stderr.Trim()}'");
        }
        output.WriteLine($"plugin protocol: {passed}/{total} conformance tests passed");
        Assert.Equal(total, passed);
    }
}
