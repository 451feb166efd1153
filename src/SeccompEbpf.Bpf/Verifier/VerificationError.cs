namespace SeccompEbpf.Bpf.Verifier;

/// <summary>Why a program was rejected: where, which rule, the instruction and the register state at that point.</summary>
public sealed record VerificationError(int InstructionIndex, string Rule, string Message, string InstructionText, string State)
{
    public BpfError ToBpfError() => BpfError.At(InstructionIndex, $"{Message} [{Rule}]");

    public override string ToString()
    {
        var text = InstructionIndex >= 0 ? $"instruction {InstructionIndex}: {InstructionText}\n  error: {Message} [rule {Rule}]"
                                         : $"error: {Message} [rule {Rule}]";
        return State.Length > 0 ? text + $"\n  state: {State}" : text;
    }
}

/// <summary>The outcome of verification with its statistics and log.</summary>
public sealed record VerificationResult(
    VerificationError? Error,
    int ProcessedInstructions,
    int StoredStates,
    int PrunedPaths,
    int MaxStackDepth,
    TimeSpan Elapsed,
    string Log)
{
    public bool Accepted => Error is null;
}
