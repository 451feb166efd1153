namespace SeccompEbpf.Bpf;

/// <summary>
/// An error a user can act on. <see cref="InstructionIndex"/> is the slot index when the error
/// belongs to one instruction (or -1); <see cref="Location"/> is a "file:line:column" when the
/// error belongs to source text.
/// </summary>
public sealed record BpfError(string Message, int InstructionIndex = -1, string? Location = null)
{
    public static BpfError At(int instructionIndex, string message) => new(message, instructionIndex);

    public override string ToString()
    {
        var where = Location ?? (InstructionIndex >= 0 ? $"instruction {InstructionIndex}" : null);
        return where is null ? Message : $"{where}: {Message}";
    }
}

/// <summary>Either a value or a <see cref="BpfError"/>; used wherever bad input is expected.</summary>
public readonly struct BpfResult<T>
{
    private readonly T? _value;

    public BpfResult(T value) { _value = value; Error = null; }
    public BpfResult(BpfError error) { _value = default; Error = error; }

    public BpfError? Error { get; }
    public bool IsOk => Error is null;
    public T Value => Error is null ? _value! : throw new BpfException(Error);

    public static implicit operator BpfResult<T>(T value) => new(value);
    public static implicit operator BpfResult<T>(BpfError error) => new(error);

    public override string ToString() => IsOk ? $"Ok({_value})" : $"Error({Error})";
}

/// <summary>Thrown only when a caller insists on the value of a failed <see cref="BpfResult{T}"/>.</summary>
public sealed class BpfException(BpfError error) : Exception(error.ToString())
{
    public BpfError Error { get; } = error;
}
