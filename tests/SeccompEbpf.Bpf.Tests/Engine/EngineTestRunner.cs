using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Engine;

/// <summary>Prepares and runs a program on the engine under test; engines other than the interpreter can reuse the tests by kind.</summary>
internal static class EngineTestRunner
{
    public static BpfRunResult Run(Instruction[] code, byte[]? memory = null, IReadOnlyList<BpfMap>? maps = null,
        EngineKind kind = EngineKind.Interpreter, BpfRunContext? context = null)
    {
        var program = new BpfProgram("test", code, maps);
        var prepared = BpfEngines.Prepare(program, kind);
        if (!prepared.IsOk) return BpfRunResult.Failure(prepared.Error!, 0);
        var ctx = context ?? new BpfRunContext();
        return prepared.Value.RunWithMemory(ctx, memory ?? []);
    }

    public static ulong R0(Instruction[] code, byte[]? memory = null, IReadOnlyList<BpfMap>? maps = null)
    {
        var result = Run(code, memory, maps);
        Assert.True(result.IsOk, result.Error?.ToString());
        return result.R0;
    }
}
