using System.Runtime.CompilerServices;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// map_lookup_elem called directly, for call sites whose map (r1) is a constant the JIT resolved
/// at compile time: no helper delegate, no handle resolution, no instruction-count hand-over (a
/// lookup neither reads the count nor calls back). The key is checked exactly as the helper checks
/// it; when it is not readable the helper itself runs, so the fault is the helper's, word for word.
/// </summary>
public static unsafe class JitMaps
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Lookup(BpfRunContext context, BpfMap map, ulong key, ulong handle)
    {
        ulong size = map.KeySize;
        if (context.CanAccess(key, size, write: false))
            return map.LookupForProgram(new ReadOnlySpan<byte>((void*)key, (int)size));
        return Refused(context, key, handle);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Refused(BpfRunContext context, ulong key, ulong handle) =>
        MapHelpers.Lookup.Implementation(context, handle, key, 0, 0, 0);
}
