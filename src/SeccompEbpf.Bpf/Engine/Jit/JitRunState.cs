using System.Runtime.InteropServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The per-run state compiled code shares across its nested invocations (bpf-to-bpf calls,
/// callbacks, tail calls). It lives on the native stack of <see cref="JittedProgram.Run"/>, so
/// running allocates nothing; the error object of a failed run is kept in a thread-static slot.
/// It also carries the run's regions, so that a program that calls nothing can be checked without
/// binding them to the <see cref="BpfRunContext"/> (see <see cref="JitCode.RunsAlone"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct JitRunState
{
    /// <summary><see cref="Failed"/>: the error is in the thread-static slot (<see cref="TakeError"/>).</summary>
    public const int FailedWithError = 1;
    /// <summary><see cref="Failed"/>: an access was refused; its description waits in the Fault fields.</summary>
    public const int FailedAccess = 2;

    /// <summary>Instructions executed so far (synchronised at calls, exits and faults).</summary>
    public long Executed;
    /// <summary>The run's instruction budget (<see cref="BpfRunContext.InstructionBudget"/>).</summary>
    public long Budget;
    /// <summary>Non-zero once the run has failed: every invocation returns at once.</summary>
    public int Failed;
    /// <summary>Lowest address of the run context's stack block (<see cref="BpfRunContext.StackBase"/>).</summary>
    public ulong StackBase;
    /// <summary>The run's context region, checked inline after the stack (length 0: absent, or unknown in a callback).</summary>
    public ulong ContextStart, ContextLength;
    /// <summary>Non-zero when the context region is writable.</summary>
    public int ContextWritable;
    /// <summary>The run's caller memory region (length 0: absent).</summary>
    public ulong MemoryStart, MemoryLength;
    public int MemoryWritable;
    /// <summary>The refused access of a <see cref="FailedAccess"/> failure.</summary>
    public ulong FaultAddress;
    public int FaultPc, FaultSize, FaultWrite;

    [ThreadStatic] private static BpfError? t_error;

    /// <summary>Records the error that stops the run (the first one wins).</summary>
    public void Fail(BpfError error)
    {
        if (Failed == 0) t_error = error;
        Failed = FailedWithError;
    }

    /// <summary>Records a refused access, to be described once the run's regions are at hand.</summary>
    public void FailAccess(int pc, ulong address, int size, bool write)
    {
        if (Failed != 0) return;
        Failed = FailedAccess;
        FaultPc = pc;
        FaultAddress = address;
        FaultSize = size;
        FaultWrite = write ? 1 : 0;
    }

    /// <summary>Takes the error recorded by <see cref="Fail"/> on this thread.</summary>
    public static BpfError TakeError()
    {
        var error = t_error ?? new BpfError("compiled program failed without an error (JIT bug)");
        t_error = null;
        return error;
    }
}
