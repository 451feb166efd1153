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

    /// <summary>
    /// Prepares a program that a verifier accepted with these maps and helpers, for a read-only
    /// context of <paramref name="contextSize"/> bytes (a seccomp filter: 64). The JIT then drops
    /// the checks the proof makes redundant (<see cref="Jit.JitOptions.ForVerifiedProgram"/>); the
    /// interpreter checks everything anyway. Never use it for a program the verifier did not accept.
    /// </summary>
    public static BpfResult<IBpfExecutable> PrepareVerified(BpfProgram program, int contextSize, EngineKind kind = Default)
    {
        if (kind != EngineKind.Jit) return Prepare(program, kind);
        var compiled = Jit.BpfJit.Compile(program, Jit.JitOptions.ForVerifiedProgram(program, contextSize));
        return compiled.IsOk ? compiled.Value : compiled.Error!;
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
