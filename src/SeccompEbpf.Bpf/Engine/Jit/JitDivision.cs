using System.Runtime.CompilerServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// Division and modulo by a register, called out of line from JIT code (the semantics are
/// <see cref="AluSemantics"/>'s). Inlined into large JIT methods, the 32-bit forms were seen to
/// lose the upper 32 bits of the divisor's register: x86 division uses fixed registers, and .NET's
/// JIT narrowed the eBPF register in place (differential test, seed 20261128, program 60642: w4 %=
/// w5, then r5 used whole; only with tiered PGO on, which changes the inlined code's layout). A
/// call passes and returns full 64-bit values, so nothing of the caller's registers can be narrowed.
/// Division by a safe constant stays inline (plain IL division).
/// </summary>
public static class JitDivision
{
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong Div64(ulong a, ulong b) => AluSemantics.Div64(a, b);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong Mod64(ulong a, ulong b) => AluSemantics.Mod64(a, b);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong SDiv64(ulong a, ulong b) => AluSemantics.SDiv64(a, b);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong SMod64(ulong a, ulong b) => AluSemantics.SMod64(a, b);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong Div32(ulong a, ulong b) => AluSemantics.Div32(a, b);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong Mod32(ulong a, ulong b) => AluSemantics.Mod32(a, b);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong SDiv32(ulong a, ulong b) => AluSemantics.SDiv32(a, b);
    [MethodImpl(MethodImplOptions.NoInlining)] public static ulong SMod32(ulong a, ulong b) => AluSemantics.SMod32(a, b);
}
