namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Where trace_printk writes (the analogue of the kernel's trace_pipe). Thread-safe; keeps the
/// most recent <see cref="Capacity"/> lines so a long-running supervisor cannot grow it without bound.
/// </summary>
public sealed class BpfTraceLog(int capacity = 10_000)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    public int Capacity { get; } = capacity;

    /// <summary>Called for every line as it is written (e.g. to echo to a console).</summary>
    public event Action<string>? LineWritten;

    public void Write(string line)
    {
        lock (_lock)
        {
            if (_lines.Count == Capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
        LineWritten?.Invoke(line);
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lock) return _lines.ToArray(); }
    }

    public void Clear()
    {
        lock (_lock) _lines.Clear();
    }
}
