namespace SeccompEbpf.Bpf.Engine.Interpreter;

/// <summary>The reference engine: validates the program's structure, then interprets it.</summary>
public sealed class BpfInterpreter : IBpfEngine
{
    public static BpfInterpreter Instance { get; } = new();

    public EngineKind Kind => EngineKind.Interpreter;

    public BpfResult<IBpfExecutable> Prepare(BpfProgram program)
    {
        var error = ProgramChecks.Validate(program);
        return error is null ? new InterpretedProgram(program) : error;
    }
}
