using System.Buffers.Binary;
using System.Text;
using SeccompEbpf.Bpf.Elf.Btf;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>The BTF parser on hand-built sections: sizes, qualifier chains, loops and corrupt records.</summary>
public class BtfParserTests
{
    /// <summary>Builds a .BTF section: types as raw u32 words, names interned in the string section.</summary>
    private sealed class BtfBuilder
    {
        private readonly List<uint> _types = new();
        private readonly MemoryStream _strings = new();

        public BtfBuilder() => _strings.WriteByte(0);

        public uint Name(string name)
        {
            if (name.Length == 0) return 0;
            uint offset = (uint)_strings.Length;
            _strings.Write(Encoding.ASCII.GetBytes(name + "\0"));
            return offset;
        }

        public BtfBuilder Type(string name, BtfKind kind, int vlen, uint sizeOrType, params uint[] extra)
        {
            _types.Add(Name(name));
            _types.Add(((uint)kind << 24) | (uint)vlen);
            _types.Add(sizeOrType);
            _types.AddRange(extra);
            return this;
        }

        public byte[] Build(int dropTrailingBytes = 0)
        {
            var typeBytes = new byte[_types.Count * 4];
            for (int i = 0; i < _types.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(typeBytes.AsSpan(i * 4), _types[i]);
            var strings = _strings.ToArray();
            int typeLen = typeBytes.Length - dropTrailingBytes;
            var section = new byte[24 + typeLen + strings.Length];
            BinaryPrimitives.WriteUInt16LittleEndian(section, BtfParser.Magic);
            section[2] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(4), 24);
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(8), 0);
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(12), (uint)typeLen);
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(16), (uint)typeLen);
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(20), (uint)strings.Length);
            typeBytes.AsSpan(0, typeLen).CopyTo(section.AsSpan(24));
            strings.CopyTo(section.AsSpan(24 + typeLen));
            return section;
        }
    }

    private static BtfBuilder Sample()
    {
        var b = new BtfBuilder();
        b.Type("int", BtfKind.Int, 0, 4, 0x01000020);                    // [1] int, signed, 32 bits
        b.Type("", BtfKind.Array, 0, 0, 1, 1, 10);                       // [2] int[10]
        b.Type("pair", BtfKind.Struct, 2, 8, b.Name("a"), 1, 0, b.Name("b"), 1, 32); // [3]
        b.Type("", BtfKind.Const, 0, 3);                                  // [4] const struct pair
        b.Type("pair_t", BtfKind.Typedef, 0, 4);                          // [5] typedef const struct pair pair_t
        b.Type("", BtfKind.Ptr, 0, 5);                                    // [6] pair_t *
        b.Type("loop_a", BtfKind.Typedef, 0, 8);                          // [7] → [8]
        b.Type("loop_b", BtfKind.Typedef, 0, 7);                          // [8] → [7]
        b.Type("", BtfKind.Array, 0, 0, 2, 1, 3);                         // [9] int[3][10]
        return b;
    }

    [Fact]
    public void Sizes_follow_typedefs_qualifiers_and_arrays()
    {
        var btf = BtfParser.Parse(Sample().Build()).Value;
        Assert.Equal(10, btf.Count);
        Assert.Equal(40UL, btf.SizeOf(2).Value);
        Assert.Equal(8UL, btf.SizeOf(5).Value);
        Assert.Equal(8UL, btf.SizeOf(6).Value);
        Assert.Equal(120UL, btf.SizeOf(9).Value);
        Assert.Equal("struct pair", btf.NameOf(btf.SkipModifiers(5).Value.Id));
        var pair = Assert.IsType<BtfComposite>(btf[3]);
        Assert.Equal([("a", 0u), ("b", 32u)], pair.Members.Select(m => (m.Name, m.BitOffset)));
        Assert.True(Assert.IsType<BtfInt>(btf[1]).IsSigned);
    }

    [Fact]
    public void A_typedef_loop_is_an_error_not_a_hang()
    {
        var btf = BtfParser.Parse(Sample().Build()).Value;
        var size = btf.SizeOf(7);
        Assert.False(size.IsOk);
        Assert.Contains("a loop?", size.Error!.Message);
    }

    [Fact]
    public void Dangling_type_ids_are_errors()
    {
        var b = new BtfBuilder();
        b.Type("broken_t", BtfKind.Typedef, 0, 99);
        var btf = BtfParser.Parse(b.Build()).Value;
        Assert.Contains("type id 99 does not exist", btf.SizeOf(1).Error!.Message);
    }

    [Fact]
    public void Corrupt_sections_are_refused_with_the_reason()
    {
        Assert.Contains("record truncated", BtfParser.Parse(Sample().Build(dropTrailingBytes: 4)).Error!.Message);
        var badMagic = Sample().Build();
        badMagic[0] = 0;
        Assert.Contains("bad magic", BtfParser.Parse(badMagic).Error!.Message);
        var b = new BtfBuilder();
        b.Type("x", (BtfKind)25, 0, 0);
        Assert.Contains("unknown kind 25", BtfParser.Parse(b.Build()).Error!.Message);
        Assert.Contains("too short", BtfParser.Parse(new byte[10]).Error!.Message);
        var bigVlen = new BtfBuilder();
        bigVlen.Type("s", BtfKind.Struct, 0xffff, 4);
        Assert.Contains("record truncated", BtfParser.Parse(bigVlen.Build()).Error!.Message);
    }
}
