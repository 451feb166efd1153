namespace SeccompEbpf.Bpf.Engine;

/// <summary>An execution engine: checks a program's structure and prepares it for running.</summary>
public interface IBpfEngine
{
    EngineKind Kind { get; }

    /// <summary>Validates and prepares (interprets or compiles) the program; errors name the instruction.</summary>
    BpfResult<IBpfExecutable> Prepare(BpfProgram program);
}

/// <summary>A prepared program. Runs may happen on many threads at once, each with its own <see cref="BpfRunContext"/>.</summary>
public interface IBpfExecutable
{
    BpfProgram Program { get; }
    EngineKind Kind { get; }

    /// <summary>Runs once. Never throws for anything the program does: faults come back in <see cref="BpfRunResult.Error"/>.</summary>
    BpfRunResult Run(BpfRunContext context, in BpfRunArgs args);

    /// <summary>
    /// Runs with r1 = a context of <paramref name="length"/> bytes at <paramref name="data"/> (a seccomp
    /// filter's entry): the same as <see cref="Run"/> with <see cref="BpfRunArgs.ForContext"/>; an
    /// engine with a cheaper entry overrides it.
    /// </summary>
    unsafe BpfRunResult RunWithContext(BpfRunContext context, void* data, int length, bool writable) =>
        Run(context, BpfRunArgs.ForContext(data, length, writable));
}
