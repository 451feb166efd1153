using SeccompEbpf.Bpf.Engine.Interpreter;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>The one place that maps <see cref="EngineKind"/> to an engine.</summary>
public static class BpfEngines
{
    public static BpfResult<IBpfEngine> Get(EngineKind kind) => kind switch
    {
        EngineKind.Interpreter => BpfInterpreter.Instance,
        // The JIT registers itself here when it lands (Engine/Jit).
        EngineKind.Jit => new BpfError("the JIT engine is not available in this build; use the interpreter"),
        _ => new BpfError($"unknown engine {kind}"),
    };

    /// <summary>Validates and prepares <paramref name="program"/> with the engine of <paramref name="kind"/>.</summary>
    public static BpfResult<IBpfExecutable> Prepare(BpfProgram program, EngineKind kind = EngineKind.Interpreter)
    {
        var engine = Get(kind);
        return engine.IsOk ? engine.Value.Prepare(program) : engine.Error!;
    }

    /// <summary>Parses "interpreter" / "jit" (as on the command line).</summary>
    public static bool TryParseKind(string text, out EngineKind kind)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "interpreter" or "interp": kind = EngineKind.Interpreter; return true;
            case "jit": kind = EngineKind.Jit; return true;
            default: kind = default; return false;
        }
    }
}
