using System.Diagnostics;
using System.Text.RegularExpressions;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Asm;

/// <summary>
/// An independent oracle for the LLVM dialect: random valid instructions, printed by our
/// formatter, must be encoded by LLVM's own assembler (llvm-mc) to exactly our bytes.
/// </summary>
public partial class LlvmMcCrossCheckTests
{
    [GeneratedRegex(@"encoding: \[([^\]]*)\]")]
    private static partial Regex EncodingPattern();

    [Fact]
    public void Llvm_mc_encodes_our_printed_instructions_to_the_same_bytes()
    {
        var llvmMc = FindLlvmMc();
        Assert.SkipWhen(llvmMc is null, "llvm-mc (LLVM 19 or newer) is not installed; apt-get install llvm-19");

        var random = new RandomInstructions(seed: 7);
        var cases = new List<(Instruction[] Slots, string Text)>();
        while (cases.Count < 3000)
        {
            var slots = random.NextValid();
            if (!LlvmMcKnows(slots[0])) continue;
            cases.Add((slots, InstructionFormatter.Format(slots[0], slots.Length > 1 ? slots[1] : null, AsmSyntax.Llvm)));
        }

        var encodings = RunLlvmMc(llvmMc!, cases.Select(c => c.Text));
        Assert.Equal(cases.Count, encodings.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            var ours = Convert.ToHexStringLower(InstructionCodec.EncodeProgram(cases[i].Slots));
            Assert.True(ours == encodings[i], $"'{cases[i].Text}': ours {ours}, llvm-mc {encodings[i]}");
        }
        TestContext.Current.SendDiagnosticMessage($"llvm-mc agreed on {cases.Count} instructions");
    }

    /// <summary>Forms LLVM's assembler has no text for: pseudo map/func loads, numeric local calls, kfunc calls, numeric gotol.</summary>
    private static bool LlvmMcKnows(Instruction insn) =>
        !(insn.IsLoadImm64 && insn.Src != LoadImmSource.Imm64) &&
        !(insn.IsCall && insn.Src != CallSource.Helper) &&
        insn.Opcode != Opcodes.Ja32;

    private static string? FindLlvmMc()
    {
        foreach (var name in new[] { "llvm-mc-19", "llvm-mc-20", "llvm-mc-21", "llvm-mc-18" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
                    return Path.Combine(dir, name);
        return null;
    }

    private static List<string> RunLlvmMc(string llvmMc, IEnumerable<string> lines)
    {
        var start = new ProcessStartInfo(llvmMc, ["-triple", "bpfel", "-mcpu=v4", "-show-encoding", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        foreach (var line in lines) process.StandardInput.WriteLine(line);
        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"llvm-mc failed: {stderr.Result}");
        return EncodingPattern().Matches(stdout.Result)
            .Select(m => string.Concat(m.Groups[1].Value.Split(',').Select(b => b.Trim()[2..])))
            .ToList();
    }
}
