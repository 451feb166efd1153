namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The compiled code of one program: runs the function starting at <paramref name="entry"/> in the
/// stack frame at <paramref name="depth"/>. On entry r0..r9 come from <paramref name="registers"/>
/// (11 slots, r10 is derived from the depth); on exit r0..r5 are written back there (so a caller
/// sees what the callee left, as in the interpreter's shared register file) and r0 is returned.
/// </summary>
public unsafe delegate ulong JitBody(BpfRunContext context, ulong* registers, JitRunState* run, int entry, int depth);
