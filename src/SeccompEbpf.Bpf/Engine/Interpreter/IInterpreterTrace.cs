using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine.Interpreter;

/// <summary>
/// Called before each instruction the interpreter executes. A struct type parameter, so the
/// untraced loop (<see cref="NoTrace"/>) compiles to nothing extra.
/// </summary>
public interface IInterpreterTrace
{
    void BeforeInstruction(int pc, in Instruction instruction, ReadOnlySpan<ulong> registers, int callDepth);
}

public struct NoTrace : IInterpreterTrace
{
    public readonly void BeforeInstruction(int pc, in Instruction instruction, ReadOnlySpan<ulong> registers, int callDepth) { }
}

/// <summary>Per-instruction callback for the CLI's --trace and for debugging.</summary>
public delegate void InstructionTraceCallback(int pc, in Instruction instruction, ReadOnlySpan<ulong> registers, int callDepth);

public readonly struct CallbackTrace(InstructionTraceCallback callback) : IInterpreterTrace
{
    public void BeforeInstruction(int pc, in Instruction instruction, ReadOnlySpan<ulong> registers, int callDepth) =>
        callback(pc, instruction, registers, callDepth);
}
