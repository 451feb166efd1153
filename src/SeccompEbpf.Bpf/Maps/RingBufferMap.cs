using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// BPF_MAP_TYPE_RINGBUF: a multi-producer, single-consumer byte ring (max_entries = size in bytes).
/// Each record is an 8-byte header (u32 length with BUSY and DISCARD bits, u32 header offset)
/// followed by the data padded to 8 bytes. Producers reserve under a lock, fill the record in place
/// (the program writes straight into the ring), then submit or discard; the consumer delivers
/// records in order and stops at the first one still busy. Records never wrap: when one does not
/// fit before the end, the tail is filled with a discarded padding record.
/// </summary>
public sealed unsafe class RingBufferMap : BpfMap
{
    public const uint BusyBit = 1u << 31;
    public const uint DiscardBit = 1u << 30;
    public const int HeaderSize = 8;

    /// <summary>ringbuf_query flags.</summary>
    public const ulong QueryAvailableData = 0, QueryRingSize = 1, QueryConsumerPosition = 2, QueryProducerPosition = 3;

    private readonly NativeSlab _data;
    private readonly MemoryRegion[] _regions;
    private readonly Lock _producerLock = new();
    private readonly Lock _consumerLock = new();
    private readonly ManualResetEventSlim _submitted = new(false);
    private long _producer;
    private long _consumer;

    public RingBufferMap(MapSpec spec) : base(spec)
    {
        _data = new NativeSlab(spec.MaxEntries);
        _regions = [_data.Region(true, MemoryRegionKind.HelperMemory, $"ring buffer '{spec.Name}'")];
    }

    public override IReadOnlyList<MemoryRegion> Regions => _regions;

    public long Capacity => MaxEntries;

    /// <summary>Raised after a record is submitted (the kernel's wake-up).</summary>
    public event Action? RecordSubmitted;

    /// <summary>Reserves <paramref name="size"/> bytes; returns the address of the data, or 0 when there is no room.</summary>
    public ulong Reserve(ulong size)
    {
        if (size == 0 || size > (ulong)Capacity - HeaderSize) return 0;
        long total = HeaderSize + (long)((size + 7) & ~7UL);
        lock (_producerLock)
        {
            long consumer = Volatile.Read(ref _consumer);
            long offset = _producer % Capacity;
            long padding = offset + total > Capacity ? Capacity - offset : 0;
            if (_producer + padding + total - consumer > Capacity) return 0;
            if (padding > 0)
            {
                WriteHeader(offset, (uint)(padding - HeaderSize) | DiscardBit);
                _producer += padding;
                offset = 0;
            }
            WriteHeader(offset, (uint)size | BusyBit);
            Volatile.Write(ref _producer, _producer + total);
            return _data.Address + (ulong)offset + HeaderSize;
        }
    }

    /// <summary>Commits (or with <paramref name="discard"/> drops) a reserved record. False if the address is not a reserved record.</summary>
    public bool Commit(ulong dataAddress, bool discard)
    {
        if (!TryFindReservedHeader(dataAddress, out uint* header)) return false;
        uint length = *header & ~(BusyBit | DiscardBit);
        Volatile.Write(ref *header, length | (discard ? DiscardBit : 0));
        if (!discard)
        {
            _submitted.Set();
            RecordSubmitted?.Invoke();
        }
        return true;
    }

    /// <summary>Copies <paramref name="data"/> into a new record (ringbuf_output); 0 or -EAGAIN-like -ENOSPC when full.</summary>
    public long Output(ReadOnlySpan<byte> data)
    {
        ulong address = Reserve((ulong)data.Length);
        if (address == 0) return -LinuxErrno.ENOSPC;
        data.CopyTo(new Span<byte>((void*)address, data.Length));
        Commit(address, discard: false);
        return 0;
    }

    public ulong Query(ulong flag) => flag switch
    {
        QueryAvailableData => (ulong)(Volatile.Read(ref _producer) - Volatile.Read(ref _consumer)),
        QueryRingSize => (ulong)Capacity,
        QueryConsumerPosition => (ulong)Volatile.Read(ref _consumer),
        QueryProducerPosition => (ulong)Volatile.Read(ref _producer),
        _ => 0,
    };

    /// <summary>
    /// Delivers every submitted record, in order, to <paramref name="handler"/> and frees its space;
    /// stops at a record still being written. Returns the number of records delivered.
    /// </summary>
    public int Consume(Action<ReadOnlySpan<byte>> handler, int maxRecords = int.MaxValue)
    {
        int delivered = 0;
        lock (_consumerLock)
        {
            while (delivered < maxRecords)
            {
                long producer = Volatile.Read(ref _producer);
                if (_consumer >= producer) break;
                long offset = _consumer % Capacity;
                uint header = Volatile.Read(ref *(uint*)(_data.Address + (ulong)offset));
                if ((header & BusyBit) != 0) break;
                long length = header & ~(BusyBit | DiscardBit);
                long total = HeaderSize + ((length + 7) & ~7L);
                if (offset + total > Capacity) total = Capacity - offset; // a header damaged by the program: skip to the end
                if ((header & DiscardBit) == 0)
                {
                    handler(new ReadOnlySpan<byte>((void*)(_data.Address + (ulong)offset + HeaderSize), (int)Math.Min(length, total - HeaderSize)));
                    delivered++;
                }
                Volatile.Write(ref _consumer, _consumer + total);
            }
        }
        return delivered;
    }

    /// <summary>
    /// Blocks until a record has been submitted since the last call that returned true (or the
    /// timeout passes); then call <see cref="Consume"/>. For a consumer thread of a supervisor.
    /// </summary>
    public bool WaitForData(TimeSpan timeout)
    {
        if (!_submitted.Wait(timeout)) return false;
        _submitted.Reset();
        return true;
    }

    /// <summary>All submitted records, copied (convenient for tests and the CLI).</summary>
    public List<byte[]> Drain()
    {
        var records = new List<byte[]>();
        Consume(span => records.Add(span.ToArray()));
        return records;
    }

    private void WriteHeader(long offset, uint lengthAndFlags)
    {
        var header = (uint*)(_data.Address + (ulong)offset);
        header[1] = (uint)offset;
        Volatile.Write(ref header[0], lengthAndFlags);
    }

    private bool TryFindReservedHeader(ulong dataAddress, out uint* header)
    {
        header = null;
        ulong offset = dataAddress - HeaderSize - _data.Address;
        if (dataAddress < _data.Address + HeaderSize || offset >= (ulong)Capacity || (offset & 7) != 0) return false;
        var candidate = (uint*)(_data.Address + offset);
        if ((Volatile.Read(ref candidate[0]) & BusyBit) == 0 || candidate[1] != (uint)offset) return false;
        header = candidate;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        _data.Dispose();
        _submitted.Dispose();
    }
}
