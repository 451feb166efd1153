using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>ringbuf_output, ringbuf_reserve, ringbuf_submit, ringbuf_discard, ringbuf_query.</summary>
public static class RingBufferHelpers
{
    public static readonly HelperDefinition Output = new(
        new(HelperIds.RingbufOutput, "ringbuf_output", HelperReturn.Integer,
            HelperArg.ConstMapPtr, HelperArg.PtrToMem, HelperArg.ConstSizeOrZero, HelperArg.Anything),
        (ctx, map, data, size, _, _) =>
            TryMap(ctx, map, "ring buffer (r1)", out RingBufferMap ring) && TryRead(ctx, data, size, "data (r2)", out var bytes)
                ? Errno(ring.Output(bytes)) : 0);

    public static readonly HelperDefinition Reserve = new(
        new(HelperIds.RingbufReserve, "ringbuf_reserve", HelperReturn.PtrToAllocMemOrNull,
            HelperArg.ConstMapPtr, HelperArg.ConstAllocSizeOrZero, HelperArg.Anything),
        (ctx, map, size, flags, _, _) =>
        {
            if (!TryMap(ctx, map, "ring buffer (r1)", out RingBufferMap ring) || flags != 0) return 0;
            ulong address = ring.Reserve(size);
            if (address != 0 && !ctx.TrackReservation(ring, address))
            {
                ring.Commit(address, discard: true);
                return 0;
            }
            return address;
        });

    public static readonly HelperDefinition Submit = new(
        new(HelperIds.RingbufSubmit, "ringbuf_submit", HelperReturn.Void, HelperArg.PtrToAllocMem, HelperArg.Anything),
        (ctx, data, _, _, _, _) => Commit(ctx, data, discard: false));

    public static readonly HelperDefinition Discard = new(
        new(HelperIds.RingbufDiscard, "ringbuf_discard", HelperReturn.Void, HelperArg.PtrToAllocMem, HelperArg.Anything),
        (ctx, data, _, _, _, _) => Commit(ctx, data, discard: true));

    public static readonly HelperDefinition Query = new(
        new(HelperIds.RingbufQuery, "ringbuf_query", HelperReturn.Integer, HelperArg.ConstMapPtr, HelperArg.Anything),
        (ctx, map, flags, _, _, _) => TryMap(ctx, map, "ring buffer (r1)", out RingBufferMap ring) ? ring.Query(flags) : 0);

    /// <summary>The record's ring is found from the address: the ring buffers of the running program are searched.</summary>
    private static ulong Commit(BpfRunContext ctx, ulong data, bool discard)
    {
        foreach (var map in ctx.Program!.Maps)
            if (map is RingBufferMap ring && ring.Commit(data, discard))
            {
                ctx.ForgetReservation(data);
                return 0;
            }
        return ctx.Fail($"0x{data:x} (r1) is not a ring buffer record reserved and not yet submitted");
    }
}
