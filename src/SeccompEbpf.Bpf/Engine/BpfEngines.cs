using SeccompEbpf.Bpf.Engine.Interpreter;
using SeccompEbpf.Bpf.Engine.Jit;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>The one place that maps <see cref="EngineKind"/> to an engine.</summary>
public static class BpfEngines
{
    public static BpfResult<IBpfEngine> Get(EngineKind kind) => kind switch
    {
        EngineKind.Interpreter => BpfInterpreter.Instance,
        EngineKind.Jit => BpfJit.Instance,
        _ => new BpfError($"unknown engine {kind}"),
    };

    /// <summary>What users run unless they ask otherwise (<c>--engine interpreter</c>).</summary>
    public const EngineKind Default = EngineKind.Jit;

    /// <summary>Validates and prepares <paramref name="program"/> with the engine of <paramref name="kind"/>.</summary>
    public static BpfResult<IBpfExecutable> Prepare(BpfProgram program, EngineKind kind = Default)
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
