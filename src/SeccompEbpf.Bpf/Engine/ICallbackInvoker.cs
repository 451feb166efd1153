namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Lets a helper call back into the program (for_each_map_elem, loop). Each engine provides one
/// through <see cref="BpfRunContext.Callbacks"/> for the duration of a run.
/// </summary>
public interface ICallbackInvoker
{
    /// <summary>
    /// Runs the function starting at <paramref name="instructionIndex"/> of the current program in a
    /// new stack frame with r1..r5 as given, and returns its r0. On a fault the run context holds
    /// the error (see <see cref="BpfRunContext.HasPendingAction"/>) and the return value is 0.
    /// </summary>
    ulong Invoke(BpfRunContext context, int instructionIndex, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
}
