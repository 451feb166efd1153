using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Maps;

public class RingBufferConsumerTests
{
    [Fact]
    public async Task AConsumerThreadWakesUpWhenARecordIsSubmitted()
    {
        using var ring = new RingBufferMap(new MapSpec("rb", MapType.RingBuf, 0, 0, 4096));
        Assert.False(ring.WaitForData(TimeSpan.FromMilliseconds(10)));
        var consumer = Task.Run(() => ring.WaitForData(TimeSpan.FromSeconds(30)) ? ring.Drain() : []);
        Assert.Equal(0, ring.Output([1, 2, 3]));
        var records = await consumer;
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(records));
    }
}
