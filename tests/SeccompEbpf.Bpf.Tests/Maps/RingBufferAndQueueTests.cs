using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Maps;

public unsafe class RingBufferAndQueueTests
{
    private static RingBufferMap Ring(uint size = 4096) => new(new MapSpec("rb", MapType.RingBuf, 0, 0, size));

    [Fact]
    public void RecordsAreDeliveredInOrderOnlyAfterSubmitAndDiscardedOnesNever()
    {
        using var ring = Ring();
        ulong a = ring.Reserve(3), b = ring.Reserve(5), c = ring.Reserve(1);
        new Span<byte>((void*)a, 3).Fill(0xaa);
        new Span<byte>((void*)b, 5).Fill(0xbb);
        Assert.True(ring.Commit(b, discard: false));
        Assert.Empty(ring.Drain()); // a is still busy and blocks the ones after it
        Assert.True(ring.Commit(a, discard: false));
        Assert.True(ring.Commit(c, discard: true));
        var records = ring.Drain();
        Assert.Equal(2, records.Count);
        Assert.Equal(new byte[] { 0xaa, 0xaa, 0xaa }, records[0]);
        Assert.Equal(5, records[1].Length);
        Assert.Equal(0UL, ring.Query(RingBufferMap.QueryAvailableData));
    }

    [Fact]
    public void ARecordCannotBeCommittedTwiceOrFromAForeignAddress()
    {
        using var ring = Ring();
        ulong a = ring.Reserve(8);
        Assert.True(ring.Commit(a, false));
        Assert.False(ring.Commit(a, false));
        Assert.False(ring.Commit(a + 8, false));
        Assert.False(ring.Commit(12345, false));
    }

    [Fact]
    public void TheRingWrapsWithoutSplittingRecordsAndRefusesWhenFull()
    {
        using var ring = Ring();
        int delivered = 0;
        for (int round = 0; round < 50; round++)
        {
            ulong address = ring.Reserve(1000);
            Assert.NotEqual(0UL, address);
            new Span<byte>((void*)address, 1000).Fill((byte)round);
            ring.Commit(address, false);
            ring.Consume(record =>
            {
                Assert.Equal(1000, record.Length);
                Assert.All(record.ToArray(), b => Assert.Equal((byte)delivered, b));
                delivered++;
            });
        }
        Assert.Equal(50, delivered);
        for (int i = 0; i < 4; i++) ring.Reserve(1000);
        Assert.Equal(0UL, ring.Reserve(1000));
        Assert.Equal(-LinuxErrno.ENOSPC, ring.Output(new byte[1000]));
    }

    [Fact]
    public void QueueIsFifoStackIsLifoAndFullPushesNeedBpfExist()
    {
        using var queue = new QueueStackMap(new MapSpec("q", MapType.Queue, 0, 4, 2));
        using var stack = new QueueStackMap(new MapSpec("s", MapType.Stack, 0, 4, 2));
        foreach (var map in new[] { queue, stack })
        {
            Assert.Equal(0, map.Push(BitConverter.GetBytes(1), 0));
            Assert.Equal(0, map.Push(BitConverter.GetBytes(2), 0));
            Assert.Equal(-LinuxErrno.E2BIG, map.Push(BitConverter.GetBytes(3), 0));
            Assert.Equal(0, map.Push(BitConverter.GetBytes(3), MapUpdateFlags.Exist)); // drops the oldest (1)
        }
        var value = new byte[4];
        Assert.Equal(0, queue.Pop(value));
        Assert.Equal(2, BitConverter.ToInt32(value));
        Assert.Equal(0, stack.Peek(value));
        Assert.Equal(3, BitConverter.ToInt32(value));
        Assert.Equal(0, stack.Pop(value));
        Assert.Equal(0, stack.Pop(value));
        Assert.Equal(2, BitConverter.ToInt32(value));
        Assert.Equal(-LinuxErrno.ENOENT, stack.Pop(value));
    }

    [Fact]
    public void ProcessStorageKeepsOneValuePerProcess()
    {
        using var storage = new ProcessStorageMap(new MapSpec("s", MapType.TaskStorage, 4, 8, 0));
        Assert.Equal(0UL, storage.GetOrCreate(100, create: false, default));
        ulong a = storage.GetOrCreate(100, create: true, BitConverter.GetBytes(7L));
        Assert.Equal(a, storage.GetOrCreate(100, create: true, default));
        Assert.NotEqual(a, storage.GetOrCreate(200, create: true, default));
        var value = new byte[8];
        Assert.True(storage.TryLookup(BitConverter.GetBytes(100), value));
        Assert.Equal(7L, BitConverter.ToInt64(value));
        Assert.Equal(0, storage.Remove(100));
        Assert.Equal(1, storage.Count);
    }
}
