using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Helpers;

/// <summary>Assembles conformance-syntax text with a map table and runs it on the interpreter.</summary>
internal static class HelperProgramRunner
{
    public static BpfProgram Program(string assembly, params BpfMap[] maps)
    {
        var code = Assembler.Assemble(assembly, "test.s", AsmSyntax.Conformance);
        Assert.True(code.IsOk, code.Error?.ToString());
        return new BpfProgram("test", code.Value, maps);
    }

    public static BpfRunResult Run(string assembly, BpfMap[] maps, BpfRunContext? context = null, byte[]? memory = null) =>
        Run(Program(assembly, maps), context, memory);

    public static BpfRunResult Run(BpfProgram program, BpfRunContext? context = null, byte[]? memory = null)
    {
        var prepared = BpfEngines.Prepare(program, EngineKind.Interpreter);
        Assert.True(prepared.IsOk, prepared.Error?.ToString());
        return prepared.Value.RunWithMemory(context ?? new BpfRunContext(), memory ?? []);
    }
}
