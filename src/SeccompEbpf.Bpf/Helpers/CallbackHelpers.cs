using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>Helpers that call back into the program: for_each_map_elem and loop.</summary>
public static class CallbackHelpers
{
    /// <summary>The kernel's BPF_MAX_LOOPS.</summary>
    public const ulong MaxLoops = 1 << 23;

    /// <summary>
    /// for_each_map_elem(map, callback, callback_ctx, flags): calls callback(map, &amp;key, &amp;value, callback_ctx)
    /// for each element until it returns non-zero; returns the number of elements visited. The key is
    /// passed in read-only scratch memory, the value in place (so the callback may update it).
    /// </summary>
    public static readonly HelperDefinition ForEachMapElem = new(
        new(HelperIds.ForEachMapElem, "for_each_map_elem", HelperReturn.Integer,
            HelperArg.ConstMapPtr, HelperArg.PtrToFunc, HelperArg.PtrToStackOrNull, HelperArg.Anything),
        (ctx, mapHandle, callback, callbackContext, flags, _) =>
        {
            if (!TryMap(ctx, mapHandle, "map (r1)", out BpfMap map) || !TryFunction(ctx, callback, out int function)) return 0;
            if (flags != 0) return Errno(-LinuxErrno.EINVAL);
            if (map.KeySize > BpfRunContext.ScratchSize) return Errno(-LinuxErrno.ENOTSUPP);
            ulong visited = 0;
            foreach (var key in map.GetKeys())
            {
                ulong value = map.LookupForProgram(key);
                if (value == 0) continue; // deleted meanwhile
                key.CopyTo(ctx.Scratch);
                visited++;
                ulong stop = ctx.Callbacks!.Invoke(ctx, function, mapHandle, ctx.ScratchAddress, value, callbackContext, 0);
                if (ctx.HasPendingAction || stop != 0) break;
            }
            return visited;
        });

    /// <summary>loop(nr_loops, callback, callback_ctx, flags): calls callback(i, callback_ctx) until it returns non-zero; returns the iterations done.</summary>
    public static readonly HelperDefinition Loop = new(
        new(HelperIds.Loop, "loop", HelperReturn.Integer, HelperArg.Scalar, HelperArg.PtrToFunc, HelperArg.PtrToStackOrNull, HelperArg.Anything),
        (ctx, count, callback, callbackContext, flags, _) =>
        {
            if (!TryFunction(ctx, callback, out int function)) return 0;
            if (flags != 0 || count > MaxLoops) return Errno(flags != 0 ? -LinuxErrno.EINVAL : -LinuxErrno.E2BIG);
            ulong i = 0;
            while (i < count)
            {
                ulong stop = ctx.Callbacks!.Invoke(ctx, function, i, callbackContext, 0, 0, 0);
                i++;
                if (ctx.HasPendingAction || stop != 0) break;
            }
            return i;
        });

    private static bool TryFunction(BpfRunContext ctx, ulong value, out int function)
    {
        if (PseudoAddress.TryDecodeFunction(value, out function) && function < ctx.Program!.Instructions.Length && ctx.Callbacks is not null)
            return true;
        ctx.Fail($"callback (r2) 0x{value:x} is not a function address (load it with lddw src=func)");
        return false;
    }
}
