using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>Time, randomness, CPU id and tail calls.</summary>
public static class RuntimeHelpers
{
    public static readonly HelperDefinition KtimeGetNs = new(
        new(HelperIds.KtimeGetNs, "ktime_get_ns", HelperReturn.Integer),
        (ctx, _, _, _, _, _) => ctx.MonotonicNanoseconds());

    /// <summary>Same clock as ktime_get_ns: user space cannot observe suspend time portably; documented difference.</summary>
    public static readonly HelperDefinition KtimeGetBootNs = new(
        new(HelperIds.KtimeGetBootNs, "ktime_get_boot_ns", HelperReturn.Integer),
        (ctx, _, _, _, _, _) => ctx.MonotonicNanoseconds());

    public static readonly HelperDefinition GetPrandomU32 = new(
        new(HelperIds.GetPrandomU32, "get_prandom_u32", HelperReturn.Integer),
        (ctx, _, _, _, _, _) => ctx.NextRandom());

    public static readonly HelperDefinition GetSmpProcessorId = new(
        new(HelperIds.GetSmpProcessorId, "get_smp_processor_id", HelperReturn.Integer),
        (_, _, _, _, _, _) => (ulong)Thread.GetCurrentProcessorId());

    /// <summary>
    /// tail_call(ctx, prog_array, index): on success the engine continues at the start of the target
    /// program and this call never returns; on failure (empty slot, index out of range, more than
    /// 33 tail calls) it returns a negative value and the program goes on, as in the kernel.
    /// </summary>
    public static readonly HelperDefinition TailCall = new(
        new(HelperIds.TailCall, "tail_call", HelperReturn.Integer, HelperArg.PtrToCtx, HelperArg.ConstMapPtr, HelperArg.Anything) { MayNotReturn = true },
        (ctx, _, map, index, _, _) =>
        {
            if (!TryMap(ctx, map, "program array (r2)", out ProgramArrayMap programs)) return 0;
            var target = programs.Get((uint)index == index ? index : ulong.MaxValue);
            return target is null ? Errno(-LinuxErrno.ENOENT) : Errno(ctx.RequestTailCall(target));
        });
}
