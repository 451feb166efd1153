using System.Runtime.InteropServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The per-run state compiled code shares across its nested invocations (bpf-to-bpf calls,
/// callbacks, tail calls). It lives on the native stack of <see cref="JittedProgram.Run"/>, so
/// running allocates nothing; the error object of a failed run is kept in a thread-static slot.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct JitRunState
{
    /// <summary>Instructions executed so far (synchronised at calls, exits and faults).</summary>
    public long Executed;
    /// <summary>The run's instruction budget (<see cref="BpfRunContext.InstructionBudget"/>).</summary>
    public long Budget;
    /// <summary>Non-zero once the run has failed: every invocation returns at once.</summary>
    public int Failed;
    /// <summary>The run's context region, checked inline after the stack (length 0: use the general check).</summary>
    public ulong ContextStart, ContextLength;
    /// <summary>Non-zero when the context region is writable.</summary>
    public int ContextWritable;

    [ThreadStatic] private static BpfError? t_error;

    /// <summary>Records the error that stops the run (the first one wins).</summary>
    public void Fail(BpfError error)
    {
        if (Failed == 0) t_error = error;
        Failed = 1;
    }

    /// <summary>Takes the error recorded by <see cref="Fail"/> on this thread.</summary>
    public static BpfError TakeError()
    {
        var error = t_error ?? new BpfError("compiled program failed without an error (JIT bug)");
        t_error = null;
        return error;
    }
}
