namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// The bytes of the caller's memory a decision read, address by address, exactly as the filter saw
/// them. A verdict that depended on the caller's memory depended only on these bytes, so a call
/// carried out on them (fresh memory elsewhere) is consistent with the verdict; continuing the call
/// instead would let the kernel read the memory again, after another thread may have changed it.
/// A read that stopped short also records that the next byte was unreadable at the time.
/// </summary>
public sealed class CallerMemory
{
    private const int Page = 4096;
    private readonly List<Segment> _segments = new(2);

    /// <param name="Bytes">what was read at <paramref name="Address"/></param>
    /// <param name="UnreadableAfter">the byte after the last one read was unreadable (the read stopped at an unmapped page)</param>
    public readonly record struct Segment(ulong Address, byte[] Bytes, bool UnreadableAfter);

    public IReadOnlyList<Segment> Segments => _segments;

    /// <summary>Records one read: <paramref name="copied"/> bytes of <paramref name="requested"/> at <paramref name="address"/>.</summary>
    public void Add(ulong address, ReadOnlySpan<byte> copied, int requested) =>
        _segments.Add(new Segment(address, copied.ToArray(), copied.Length < requested));

    /// <summary>
    /// Lays the recorded bytes over <paramref name="buffer"/>, which holds a fresh read of the caller's
    /// memory at <paramref name="address"/> (<paramref name="known"/>[i] false where the fresh read
    /// failed). Recorded bytes win; where the filter found memory unreadable, the bytes become unknown
    /// again (to the end of that page), because the filter decided on a fault there.
    /// </summary>
    public void Overlay(ulong address, Span<byte> buffer, Span<bool> known)
    {
        ulong end = address + (ulong)buffer.Length;
        foreach (var segment in _segments)
        {
            ulong segmentEnd = segment.Address + (ulong)segment.Bytes.Length;
            ulong from = Math.Max(address, segment.Address), to = Math.Min(end, segmentEnd);
            for (ulong a = from; a < to; a++)
            {
                buffer[(int)(a - address)] = segment.Bytes[(int)(a - segment.Address)];
                known[(int)(a - address)] = true;
            }
            if (!segment.UnreadableAfter) continue;
            ulong faultEnd = (segmentEnd / Page + 1) * Page;
            for (ulong a = Math.Max(address, segmentEnd); a < Math.Min(end, faultEnd); a++)
                known[(int)(a - address)] = false;
        }
    }
}
