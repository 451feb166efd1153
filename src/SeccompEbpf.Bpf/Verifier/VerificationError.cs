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

    /// <summary>
    /// The error with the C source line of its instruction first, where the object carries BTF line
    /// info: that is the line a C author edits.
    /// </summary>
    public string Describe(Elf.ObjectProgram? source) =>
        InstructionIndex >= 0 && source?.LineAt(InstructionIndex) is { } line
            ? $"{line.Location}: {line.SourceLine.Trim()}\n{this}"
            : ToString();
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

    /// <summary>The accesses proven in bounds (empty when rejected): what a JIT may leave unchecked.</summary>
    public AccessProofs Accesses { get; init; } = AccessProofs.None;

    /// <summary>
    /// Every path was followed to its exit (loops included), so every run ends: an engine may drop
    /// its instruction budget. False when rejected.
    /// </summary>
    public bool ProvedTermination { get; init; }
}
