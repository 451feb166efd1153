namespace SeccompEbpf.Model.Helpers;

/// <summary>
/// A simulated process's user memory: mapped byte ranges at addresses. Reads stop at the first
/// unmapped byte, as a copy from user space does at an unmapped page.
/// </summary>
public sealed class SimulatedMemory
{
    private readonly SortedDictionary<ulong, byte[]> _mappings = [];

    public void Map(ulong address, ReadOnlySpan<byte> bytes) => _mappings[address] = bytes.ToArray();

    /// <summary>Copies what is mapped from <paramref name="address"/> on; returns the count (0 when nothing is mapped there).</summary>
    public int Read(ulong address, Span<byte> destination)
    {
        int copied = 0;
        while (copied < destination.Length)
        {
            ulong at = address + (ulong)copied;
            var mapping = _mappings.LastOrDefault(m => m.Key <= at && at - m.Key < (ulong)m.Value.Length);
            if (mapping.Value is null) break;
            var available = mapping.Value.AsSpan((int)(at - mapping.Key));
            int n = Math.Min(available.Length, destination.Length - copied);
            available[..n].CopyTo(destination[copied..]);
            copied += n;
        }
        return copied;
    }

    /// <summary>fork copies the address space.</summary>
    public SimulatedMemory Clone()
    {
        var copy = new SimulatedMemory();
        foreach (var (address, bytes) in _mappings) copy._mappings[address] = (byte[])bytes.Clone();
        return copy;
    }
}
