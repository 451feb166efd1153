using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using static SeccompEbpf.Bpf.Helpers.HelperArguments;

namespace SeccompEbpf.Bpf.Helpers;

/// <summary>map_lookup_elem, map_update_elem, map_delete_elem and the queue/stack helpers.</summary>
public static class MapHelpers
{
    public static readonly HelperDefinition Lookup = new(
        new(HelperIds.MapLookupElem, "map_lookup_elem", HelperReturn.PtrToMapValueOrNull, HelperArg.ConstMapPtr, HelperArg.PtrToMapKey),
        (ctx, map, key, _, _, _) =>
            TryMap(ctx, map, "map (r1)", out BpfMap m) && TryRead(ctx, key, m.KeySize, "key (r2)", out var k)
                ? m.LookupForProgram(k) : 0);

    public static readonly HelperDefinition Update = new(
        new(HelperIds.MapUpdateElem, "map_update_elem", HelperReturn.Integer,
            HelperArg.ConstMapPtr, HelperArg.PtrToMapKey, HelperArg.PtrToMapValue, HelperArg.Anything),
        (ctx, map, key, value, flags, _) =>
            TryMap(ctx, map, "map (r1)", out BpfMap m) && TryRead(ctx, key, m.KeySize, "key (r2)", out var k)
                && TryRead(ctx, value, m.ValueSize, "value (r3)", out var v)
                ? Errno(m.Update(k, v, flags)) : 0);

    public static readonly HelperDefinition Delete = new(
        new(HelperIds.MapDeleteElem, "map_delete_elem", HelperReturn.Integer, HelperArg.ConstMapPtr, HelperArg.PtrToMapKey),
        (ctx, map, key, _, _, _) =>
            TryMap(ctx, map, "map (r1)", out BpfMap m) && TryRead(ctx, key, m.KeySize, "key (r2)", out var k)
                ? Errno(m.Delete(k)) : 0);

    public static readonly HelperDefinition Push = new(
        new(HelperIds.MapPushElem, "map_push_elem", HelperReturn.Integer, HelperArg.ConstMapPtr, HelperArg.PtrToMapValue, HelperArg.Anything),
        (ctx, map, value, flags, _, _) =>
            TryMap(ctx, map, "map (r1)", out BpfMap m) && TryRead(ctx, value, m.ValueSize, "value (r2)", out var v)
                ? Errno(m.Push(v, flags)) : 0);

    public static readonly HelperDefinition Pop = new(
        new(HelperIds.MapPopElem, "map_pop_elem", HelperReturn.Integer, HelperArg.ConstMapPtr, HelperArg.PtrToUninitMapValue),
        (ctx, map, value, _, _, _) =>
            TryMap(ctx, map, "map (r1)", out BpfMap m) && TryWrite(ctx, value, m.ValueSize, "value (r2)", out var v)
                ? Errno(m.Pop(v)) : 0);

    public static readonly HelperDefinition Peek = new(
        new(HelperIds.MapPeekElem, "map_peek_elem", HelperReturn.Integer, HelperArg.ConstMapPtr, HelperArg.PtrToUninitMapValue),
        (ctx, map, value, _, _, _) =>
            TryMap(ctx, map, "map (r1)", out BpfMap m) && TryWrite(ctx, value, m.ValueSize, "value (r2)", out var v)
                ? Errno(m.Peek(v)) : 0);
}
