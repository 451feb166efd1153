namespace SeccompEbpf.Bpf.Helpers;

/// <summary>The base helper set every program type gets (the list in the seccomp proposal), by kernel id.</summary>
public static class BaseHelpers
{
    public static IReadOnlyList<HelperDefinition> All { get; } =
    [
        MapHelpers.Lookup, MapHelpers.Update, MapHelpers.Delete,
        RuntimeHelpers.KtimeGetNs, TraceHelpers.TracePrintk, RuntimeHelpers.GetPrandomU32,
        RuntimeHelpers.GetSmpProcessorId, RuntimeHelpers.TailCall,
        MapHelpers.Push, MapHelpers.Pop, MapHelpers.Peek,
        RuntimeHelpers.KtimeGetBootNs,
        RingBufferHelpers.Output, RingBufferHelpers.Reserve, RingBufferHelpers.Submit, RingBufferHelpers.Discard, RingBufferHelpers.Query,
        ProcessStorageHelpers.Get, ProcessStorageHelpers.Delete,
        CallbackHelpers.ForEachMapElem, CallbackHelpers.Loop,
    ];

    public static HelperTable Table { get; } = new(All);
}
