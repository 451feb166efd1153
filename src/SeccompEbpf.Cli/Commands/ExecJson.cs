using System.Text.Json;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Cli.Commands;

/// <summary>`exec --json`: one object with the run's result, for scripts.</summary>
internal static class ExecJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(TextWriter stdout, BpfRunResult result, ExecProgramSource source, IEnumerable<string> tracePrintk)
    {
        var doc = new
        {
            program = source.Program.Name,
            ok = result.IsOk,
            r0 = result.IsOk ? $"0x{result.R0:x}" : null,
            r0Decimal = result.IsOk ? result.R0 : (ulong?)null,
            error = result.Error?.ToString(),
            instructionsExecuted = result.InstructionsExecuted,
            expected = source.ExpectsError ? "error" : source.ExpectedResult is { } e ? $"0x{e:x}" : null,
            matches = source.ExpectsError ? !result.IsOk : source.ExpectedResult is { } x ? result.IsOk && x == result.R0 : (bool?)null,
            tracePrintk = tracePrintk.ToList(),
        };
        stdout.WriteLine(JsonSerializer.Serialize(doc, Indented));
    }
}
