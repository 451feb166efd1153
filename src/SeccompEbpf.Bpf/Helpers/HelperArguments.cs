using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>
/// Argument checks shared by helper implementations. A failed check stops the run through
/// <see cref="BpfRunContext.Fail"/> with a message naming the argument, because a verified
/// program can never get there and an unverified one must not be trusted. Helpers defined in other
/// layers (the seccomp helpers) use them too.
/// </summary>
public static class HelperArguments
{
    public static bool TryMap<TMap>(BpfRunContext context, ulong handle, string argument, out TMap map) where TMap : BpfMap
    {
        if (context.ResolveMap(handle) is TMap typed)
        {
            map = typed;
            return true;
        }
        map = null!;
        var actual = context.ResolveMap(handle);
        context.Fail(actual is null
            ? $"{argument} (0x{handle:x}) is not a map handle"
            : $"{argument} is map '{actual.Name}' of type {actual.Type}, which this helper does not accept");
        return false;
    }

    public static bool TryRead(BpfRunContext context, ulong address, ulong length, string argument, out ReadOnlySpan<byte> span)
    {
        if (context.TryGetSpan(address, length, write: false, out var writable))
        {
            span = writable;
            return true;
        }
        span = default;
        context.Fail($"{argument}: {length} byte(s) at 0x{address:x} are not readable ({context.DescribeAddress(address, length, false)})");
        return false;
    }

    public static bool TryWrite(BpfRunContext context, ulong address, ulong length, string argument, out Span<byte> span)
    {
        if (context.TryGetSpan(address, length, write: true, out span)) return true;
        context.Fail($"{argument}: {length} byte(s) at 0x{address:x} are not writable ({context.DescribeAddress(address, length, true)})");
        return false;
    }

    /// <summary>A negated errno as the u64 a helper returns in r0.</summary>
    public static ulong Errno(long negatedErrno) => (ulong)negatedErrno;
}
