using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO): no keys, values are copied in and out
/// with push/pop/peek. Pushing into a full map fails with -E2BIG unless the flag BPF_EXIST asks to
/// drop the oldest element.
/// </summary>
public sealed class QueueStackMap : BpfMap
{
    private readonly byte[][] _slots;
    private readonly Lock _lock = new();
    private int _head;   // index of the oldest element
    private int _count;

    public QueueStackMap(MapSpec spec) : base(spec)
    {
        IsStack = spec.Type == MapType.Stack;
        _slots = new byte[spec.MaxEntries][];
        for (int i = 0; i < _slots.Length; i++) _slots[i] = new byte[spec.ValueSize];
    }

    public bool IsStack { get; }

    public override IReadOnlyList<MemoryRegion> Regions => [];

    public override long Push(ReadOnlySpan<byte> value, ulong flags)
    {
        if (!ValueFits(value) || (flags & ~MapUpdateFlags.Exist) != 0) return -LinuxErrno.EINVAL;
        lock (_lock)
        {
            if (_count == _slots.Length)
            {
                if (flags != MapUpdateFlags.Exist) return -LinuxErrno.E2BIG;
                _head = (_head + 1) % _slots.Length; // drop the oldest
                _count--;
            }
            value.CopyTo(_slots[(_head + _count) % _slots.Length]);
            _count++;
            return 0;
        }
    }

    public override long Pop(Span<byte> value) => Take(value, remove: true);

    public override long Peek(Span<byte> value) => Take(value, remove: false);

    private long Take(Span<byte> value, bool remove)
    {
        if (value.Length < ValueSize) return -LinuxErrno.EINVAL;
        lock (_lock)
        {
            if (_count == 0) return -LinuxErrno.ENOENT;
            int index = IsStack ? (_head + _count - 1) % _slots.Length : _head;
            _slots[index].CopyTo(value);
            if (remove)
            {
                _count--;
                if (!IsStack) _head = (_head + 1) % _slots.Length;
            }
            return 0;
        }
    }

    /// <summary>Map update on a queue/stack is a push (as in the kernel); the key must be empty.</summary>
    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = MapUpdateFlags.Any) =>
        key.Length != 0 ? -LinuxErrno.EINVAL : Push(value, flags);

    public override int Count
    {
        get { lock (_lock) return _count; }
    }
}
