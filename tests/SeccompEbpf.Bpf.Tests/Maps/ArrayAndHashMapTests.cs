using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Maps;

public class ArrayAndHashMapTests
{
    private static byte[] U32(uint v) => BitConverter.GetBytes(v);
    private static byte[] U64(ulong v) => BitConverter.GetBytes(v);

    [Fact]
    public void ArrayElementsAlwaysExistAndKeepKernelErrnos()
    {
        using var map = new ArrayMap(new MapSpec("a", MapType.Array, 4, 8, 4));
        Assert.Equal(0, map.Update(U32(1), U64(42)));
        var value = new byte[8];
        Assert.True(map.TryLookup(U32(1), value));
        Assert.Equal(42UL, BitConverter.ToUInt64(value));
        Assert.True(map.TryLookup(U32(3), value));
        Assert.Equal(0UL, BitConverter.ToUInt64(value));
        Assert.False(map.TryLookup(U32(4), value));
        Assert.Equal(-LinuxErrno.EEXIST, map.Update(U32(0), U64(1), MapUpdateFlags.NoExist));
        Assert.Equal(-LinuxErrno.E2BIG, map.Update(U32(4), U64(1)));
        Assert.Equal(-LinuxErrno.EINVAL, map.Delete(U32(0)));
        Assert.Equal(-LinuxErrno.EINVAL, map.Update(U32(0), U64(1), 7));
    }

    [Fact]
    public void ArrayValuesAreEightByteAlignedSlotsInOneStableRegion()
    {
        using var map = new ArrayMap(new MapSpec("a", MapType.Array, 4, 3, 4));
        ulong first = map.LookupForProgram(U32(0)), second = map.LookupForProgram(U32(1));
        Assert.Equal(8UL, second - first);
        Assert.Equal(first, map.DirectValueAddress);
        Assert.Single(map.Regions);
        Assert.True(map.Regions[0].Contains(second, 3));
    }

    [Fact]
    public void GlobalDataStartsWithItsInitialValueAndRodataIsReadOnly()
    {
        using var map = new ArrayMap(new MapSpec(".rodata", MapType.Array, 4, 4, 1) { InitialValue = [1, 2, 3, 4], ReadOnlyForProgram = true });
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, map.ValueAt(0).ToArray());
        Assert.False(map.Regions[0].Writable);
    }

    [Fact]
    public void HashMapFlagsGiveKernelErrnos()
    {
        using var map = new HashMap(new MapSpec("h", MapType.Hash, 4, 8, 2));
        Assert.Equal(-LinuxErrno.ENOENT, map.Update(U32(7), U64(1), MapUpdateFlags.Exist));
        Assert.Equal(0, map.Update(U32(7), U64(1), MapUpdateFlags.NoExist));
        Assert.Equal(-LinuxErrno.EEXIST, map.Update(U32(7), U64(2), MapUpdateFlags.NoExist));
        Assert.Equal(0, map.Update(U32(7), U64(3), MapUpdateFlags.Exist));
        Assert.Equal(0, map.Update(U32(8), U64(4)));
        Assert.Equal(-LinuxErrno.E2BIG, map.Update(U32(9), U64(5)));
        // Replacing a key of a full map still works.
        Assert.Equal(0, map.Update(U32(8), U64(6)));
        Assert.Equal(-LinuxErrno.ENOENT, map.Delete(U32(9)));
        Assert.Equal(0, map.Delete(U32(7)));
        Assert.Equal(0, map.Update(U32(9), U64(5)));
        Assert.Equal(2, map.Count);
        Assert.Equal(-LinuxErrno.EINVAL, map.Update(new byte[3], U64(1)));
    }

    [Fact]
    public void HashMapLookupsReturnStableAddressesUntilReplaced()
    {
        using var map = new HashMap(new MapSpec("h", MapType.Hash, 8, 8, 16));
        map.Update(U64(1), U64(100));
        ulong address = map.LookupForProgram(U64(1));
        Assert.NotEqual(0UL, address);
        Assert.Equal(address, map.LookupForProgram(U64(1)));
        Assert.True(map.Regions[0].Contains(address, 8));
        Assert.Equal(0UL, map.LookupForProgram(U64(2)));
    }

    [Fact]
    public void LruMapEvictsTheLeastRecentlyUsedKey()
    {
        using var map = new HashMap(new MapSpec("lru", MapType.LruHash, 4, 4, 3));
        for (uint k = 1; k <= 3; k++) Assert.Equal(0, map.Update(U32(k), U32(k)));
        map.LookupForProgram(U32(1)); // 2 is now the oldest
        map.LookupForProgram(U32(3));
        Assert.Equal(0, map.Update(U32(4), U32(4)));
        Assert.Equal(3, map.Count);
        Assert.Equal(0UL, map.LookupForProgram(U32(2)));
        Assert.NotEqual(0UL, map.LookupForProgram(U32(1)));
    }

    [Fact]
    public void HashMapIsSafeUnderConcurrentUpdatesLookupsAndDeletes()
    {
        using var map = new HashMap(new MapSpec("h", MapType.Hash, 4, 8, 1024));
        Parallel.For(0, 4, worker =>
        {
            var value = new byte[8];
            for (int i = 0; i < 20_000; i++)
            {
                uint key = (uint)(i % 512);
                map.Update(U32(key), U64((ulong)worker));
                map.TryLookup(U32(key), value);
                if (i % 7 == 0) map.Delete(U32(key));
            }
        });
        Assert.InRange(map.Count, 0, 512);
        // Every surviving value was written whole by one of the workers.
        foreach (var key in map.GetKeys())
        {
            var value = new byte[8];
            Assert.True(map.TryLookup(key, value));
            Assert.InRange(BitConverter.ToUInt64(value), 0UL, 3UL);
        }
    }

    [Fact]
    public void FactoryRejectsBadShapesWithAMessage()
    {
        Assert.Contains("key size must be 4", MapFactory.Create(new MapSpec("a", MapType.Array, 8, 4, 1)).Error!.Message);
        Assert.Contains("max_entries", MapFactory.Create(new MapSpec("h", MapType.Hash, 4, 4, 0)).Error!.Message);
        Assert.Contains("power of 2", MapFactory.Create(new MapSpec("r", MapType.RingBuf, 0, 0, 5000)).Error!.Message);
        Assert.Contains("not supported", MapFactory.Create(new MapSpec("t", MapType.LpmTrie, 8, 4, 1)).Error!.Message);
        Assert.Contains("exceed the limit", MapFactory.Create(new MapSpec("big", MapType.Array, 4, 1 << 20, 1 << 20)).Error!.Message);
        Assert.IsType<ProcessStorageMap>(MapFactory.Create(new MapSpec("s", MapType.TaskStorage, 4, 8, 0)).Value);
    }
}
