using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// The plugin side of the bpf_conformance runner's protocol (github.com/Alan-Jowett/bpf_conformance):
/// the program arrives as hex bytes on stdin (or after <c>--program</c>), the memory as an optional
/// hex argument; the plugin runs the program with r1 = memory and r2 = its length and prints r0 in
/// hex (no 0x) on stdout with exit code 0. A program that is refused or faults prints the reason
/// on stderr and exits with 1, which the runner compares with a test's expected error.
/// </summary>
public static class ConformancePlugin
{
    public const int Ok = 0;
    public const int Failed = 1;

    public static int Run(string programHex, string? memoryHex, EngineKind engine, TextWriter stdout, TextWriter stderr, bool debug = false)
    {
        TextWriter errors = debug ? stdout : stderr;
        var bytes = HexBytes.Parse(programHex, "program");
        if (!bytes.IsOk) return Fail(errors, bytes.Error!);
        var code = InstructionCodec.DecodeProgram(bytes.Value);
        if (!code.IsOk) return Fail(errors, code.Error!);
        var memory = HexBytes.Parse(memoryHex ?? "", "memory");
        if (!memory.IsOk) return Fail(errors, memory.Error!);

        var prepared = BpfEngines.Prepare(new BpfProgram("conformance", code.Value), engine);
        if (!prepared.IsOk) return Fail(errors, prepared.Error!);
        using var context = new BpfRunContext();
        var result = prepared.Value.RunWithMemory(context, memory.Value);
        if (!result.IsOk) return Fail(errors, result.Error!);
        stdout.WriteLine(result.R0.ToString("x"));
        return Ok;
    }

    private static int Fail(TextWriter writer, BpfError error)
    {
        writer.WriteLine(error.ToString());
        return Failed;
    }
}
