using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Which helpers work on which map types (the kernel's map/function compatibility): special maps
/// (ring buffer, queue/stack, program array, task storage) have their own helpers and only those.
/// </summary>
internal static class MapHelperCompatibility
{
    private const int MapLookup = 1, MapUpdate = 2, MapDelete = 3, TailCall = 12;
    private const int MapPush = 87, MapPop = 88, MapPeek = 89;
    private const int RingbufOutput = 130, RingbufReserve = 131, RingbufQuery = 134;
    private const int TaskStorageGet = 156, TaskStorageDelete = 157;

    private static readonly int[] RingbufHelpers = [RingbufOutput, RingbufReserve, RingbufQuery];
    private static readonly int[] QueueHelpers = [MapPush, MapPop, MapPeek];
    private static readonly int[] TaskStorageHelpers = [TaskStorageGet, TaskStorageDelete];

    /// <summary>Null when helper <paramref name="helperId"/> may take <paramref name="map"/>; else why not.</summary>
    public static string? Check(int helperId, string helperName, MapSpec map)
    {
        int[]? only = map.Type switch
        {
            MapType.RingBuf => RingbufHelpers,
            MapType.Queue or MapType.Stack => QueueHelpers,
            MapType.ProgArray => [TailCall],
            MapType.TaskStorage => TaskStorageHelpers,
            _ => null,
        };
        if (only is not null && !only.Contains(helperId))
            return $"map {map.Name} of type {map.Type} cannot be used with {helperName}";
        MapType[]? needs = helperId switch
        {
            RingbufOutput or RingbufReserve or RingbufQuery => [MapType.RingBuf],
            MapPush or MapPop or MapPeek => [MapType.Queue, MapType.Stack],
            TailCall => [MapType.ProgArray],
            TaskStorageGet or TaskStorageDelete => [MapType.TaskStorage],
            _ => null,
        };
        if (needs is not null && !needs.Contains(map.Type))
            return $"{helperName} needs a map of type {string.Join(" or ", needs)}, but {map.Name} is {map.Type}";
        if (helperId is MapLookup or MapUpdate or MapDelete && map.Type is MapType.PerfEventArray)
            return $"map {map.Name} of type {map.Type} cannot be used with {helperName}";
        return null;
    }
}
