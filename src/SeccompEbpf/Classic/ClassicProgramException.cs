using SeccompEbpf.Bpf;

namespace SeccompEbpf.Classic;

/// <summary>
/// Thrown by <see cref="ClassicInterpreter"/> when it is given a program that
/// <see cref="ClassicChecker"/> would refuse; check programs first to get the error as a value.
/// </summary>
public sealed class ClassicProgramException(int instructionIndex, string message)
    : Exception(new BpfError(message, instructionIndex).ToString())
{
    public int InstructionIndex { get; } = instructionIndex;
}
