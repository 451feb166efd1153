using System.Text;

namespace SeccompEbpf.Bpf.Elf.Writer;

/// <summary>An ELF string table being built: offset 0 is the empty name, each string once, NUL-terminated.</summary>
internal sealed class ElfStringTable
{
    private readonly MemoryStream _bytes = new();
    private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal);

    public ElfStringTable() => _bytes.WriteByte(0);

    public uint Add(string text)
    {
        if (text.Length == 0) return 0;
        if (_offsets.TryGetValue(text, out var known)) return known;
        uint offset = (uint)_bytes.Length;
        var encoded = Encoding.UTF8.GetBytes(text);
        _bytes.Write(encoded);
        _bytes.WriteByte(0);
        _offsets[text] = offset;
        return offset;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
