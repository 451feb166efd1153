namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// The outcome of one run: r0 at exit, or the error that stopped the program (which names the
/// instruction), and how many instructions were executed either way.
/// </summary>
public readonly record struct BpfRunResult(ulong R0, BpfError? Error, long InstructionsExecuted)
{
    public bool IsOk => Error is null;

    public static BpfRunResult Success(ulong r0, long executed) => new(r0, null, executed);
    public static BpfRunResult Failure(BpfError error, long executed) => new(0, error, executed);

    public override string ToString() => Error is null
        ? $"r0=0x{R0:x} ({R0}) after {InstructionsExecuted} instructions"
        : $"error after {InstructionsExecuted} instructions: {Error}";
}
