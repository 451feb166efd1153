namespace SeccompEbpf.Classic;

/// <summary>
/// A classic BPF program that <see cref="ClassicChecker"/> accepted for seccomp. Holding one is
/// the proof that the interpreter and translator will not meet an invalid instruction.
/// </summary>
public sealed class ClassicProgram
{
    private readonly ClassicInstruction[] _instructions;

    internal ClassicProgram(ClassicInstruction[] instructions) => _instructions = instructions;

    /// <summary>The instructions as given by the user (the kernel's LEN rewrite is not applied).</summary>
    public IReadOnlyList<ClassicInstruction> Instructions => _instructions;

    public int Length => _instructions.Length;

    public ReadOnlySpan<ClassicInstruction> AsSpan() => _instructions;

    public uint Run(in Model.SeccompData data) => ClassicInterpreter.Run(_instructions.AsSpan(), in data, out _);

    public uint Run(in Model.SeccompData data, out int executed) => ClassicInterpreter.Run(_instructions.AsSpan(), in data, out executed);
}
