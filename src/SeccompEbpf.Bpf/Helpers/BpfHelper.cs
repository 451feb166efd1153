using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>
/// The helper ABI shared by the interpreter and the JIT: arguments in r1..r5, result in r0.
/// No boxing or allocation: the run context gives access to the maps, the memory check, the
/// environment and the trace log. A helper that meets an unrecoverable problem (a pointer that
/// is not program memory) calls <see cref="BpfRunContext.Fail"/> and returns; the engine then
/// stops the run with that error.
/// </summary>
public delegate ulong BpfHelper(BpfRunContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);

/// <summary>A helper's prototype (read by the verifier) with its implementation (called by the engines).</summary>
public sealed record HelperDefinition(HelperPrototype Prototype, BpfHelper Implementation)
{
    public int Id => Prototype.Id;
    public string Name => Prototype.Name;
}
