using System.Buffers.Binary;

namespace SeccompEbpf.Bpf.Elf.Btf;

/// <summary>
/// Parses a .BTF section (kernel Documentation/bpf/btf.rst): a header, a type section of
/// variable-length records and a string section. Every record is bounds-checked, and the
/// number of types is bounded by the section size, so corrupt input ends in an error value.
/// </summary>
public static class BtfParser
{
    public const ushort Magic = 0xeb9f;
    private const int MinHeaderSize = 24;
    private const int TypeHeaderSize = 12;

    public static BpfResult<BtfSpec> Parse(ReadOnlyMemory<byte> section)
    {
        var s = section.Span;
        if (s.Length < MinHeaderSize) return Fail($"section is {s.Length} bytes, too short for a header");
        if (BinaryPrimitives.ReadUInt16LittleEndian(s) != Magic)
            return Fail($"bad magic 0x{BinaryPrimitives.ReadUInt16LittleEndian(s):x4} (expected 0x{Magic:x4}; big-endian BTF is not supported)");
        if (s[2] != 1) return Fail($"version {s[2]} is not supported (expected 1)");
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
        uint typeOff = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
        uint typeLen = BinaryPrimitives.ReadUInt32LittleEndian(s[12..]);
        uint strOff = BinaryPrimitives.ReadUInt32LittleEndian(s[16..]);
        uint strLen = BinaryPrimitives.ReadUInt32LittleEndian(s[20..]);
        if (hdrLen < MinHeaderSize || hdrLen > s.Length) return Fail($"header length {hdrLen} is out of range");
        var body = section[(int)hdrLen..];
        if (!Fits(body.Length, typeOff, typeLen)) return Fail($"type section (offset {typeOff}, length {typeLen}) runs past the end");
        if (!Fits(body.Length, strOff, strLen)) return Fail($"string section (offset {strOff}, length {strLen}) runs past the end");
        var strings = body.Slice((int)strOff, (int)strLen);
        if (strLen > 0 && strings.Span[0] != 0) return Fail("string section does not start with an empty string");

        var types = new List<BtfType?> { null };
        var reader = new Reader(body.Slice((int)typeOff, (int)typeLen).Span, strings.Span);
        while (reader.Remaining > 0)
        {
            int id = types.Count;
            var type = ReadType(ref reader, id);
            if (!type.IsOk) return type.Error!;
            types.Add(type.Value);
        }
        return new BtfSpec(types, strings);
    }

    private static BpfResult<BtfType> ReadType(ref Reader r, int id)
    {
        if (!r.Has(TypeHeaderSize)) return Fail($"type [{id}]: record truncated");
        uint nameOff = r.U32();
        uint info = r.U32();
        uint sizeOrType = r.U32();
        int vlen = (int)(info & 0xffff);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        bool kindFlag = (info >> 31) != 0;
        var name = r.Name(nameOff);
        if (name is null) return Fail($"type [{id}]: name offset {nameOff} is outside the string section");
        int typeRef = sizeOrType > int.MaxValue ? -1 : (int)sizeOrType;

        switch (kind)
        {
            case BtfKind.Int:
            {
                if (!r.Has(4)) return Truncated(id, kind);
                uint data = r.U32();
                return new BtfInt(id, name, sizeOrType, (byte)((data >> 24) & 0x0f), (byte)((data >> 16) & 0xff), (byte)(data & 0xff));
            }
            case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                return new BtfReference(id, kind, name, typeRef);
            case BtfKind.Array:
            {
                if (!r.Has(12)) return Truncated(id, kind);
                int elem = (int)Math.Min(r.U32(), int.MaxValue);
                int index = (int)Math.Min(r.U32(), int.MaxValue);
                return new BtfArray(id, elem, index, r.U32());
            }
            case BtfKind.Struct or BtfKind.Union:
            {
                if (!r.Has((long)vlen * 12)) return Truncated(id, kind);
                var members = new BtfMember[vlen];
                for (int i = 0; i < vlen; i++)
                {
                    var memberName = r.Name(r.U32());
                    int memberType = (int)Math.Min(r.U32(), int.MaxValue);
                    uint offset = r.U32();
                    if (memberName is null) return Fail($"type [{id}] {kind}: member {i} name is outside the string section");
                    // With kind_flag the offset packs a bitfield size in its top 8 bits.
                    members[i] = kindFlag
                        ? new BtfMember(memberName, memberType, offset & 0xffffff, offset >> 24)
                        : new BtfMember(memberName, memberType, offset, 0);
                }
                return new BtfComposite(id, kind, name, sizeOrType, members);
            }
            case BtfKind.Enum:
            {
                if (!r.Has((long)vlen * 8)) return Truncated(id, kind);
                var values = new BtfEnumValue[vlen];
                for (int i = 0; i < vlen; i++)
                {
                    var valueName = r.Name(r.U32());
                    int raw = (int)r.U32();
                    if (valueName is null) return Fail($"type [{id}] ENUM: value {i} name is outside the string section");
                    values[i] = new BtfEnumValue(valueName, kindFlag ? raw : (uint)raw);
                }
                return new BtfEnum(id, kind, name, sizeOrType, kindFlag, values);
            }
            case BtfKind.Enum64:
            {
                if (!r.Has((long)vlen * 12)) return Truncated(id, kind);
                var values = new BtfEnumValue[vlen];
                for (int i = 0; i < vlen; i++)
                {
                    var valueName = r.Name(r.U32());
                    ulong lo = r.U32(), hi = r.U32();
                    if (valueName is null) return Fail($"type [{id}] ENUM64: value {i} name is outside the string section");
                    values[i] = new BtfEnumValue(valueName, (long)(lo | (hi << 32)));
                }
                return new BtfEnum(id, kind, name, sizeOrType, kindFlag, values);
            }
            case BtfKind.Fwd:
                return new BtfFwd(id, name, kindFlag);
            case BtfKind.Func:
                return new BtfFunc(id, name, typeRef, (uint)vlen);
            case BtfKind.FuncProto:
            {
                if (!r.Has((long)vlen * 8)) return Truncated(id, kind);
                var parameters = new BtfParam[vlen];
                for (int i = 0; i < vlen; i++)
                {
                    var paramName = r.Name(r.U32());
                    int paramType = (int)Math.Min(r.U32(), int.MaxValue);
                    if (paramName is null) return Fail($"type [{id}] FUNC_PROTO: parameter {i} name is outside the string section");
                    parameters[i] = new BtfParam(paramName, paramType);
                }
                return new BtfFuncProto(id, typeRef, parameters);
            }
            case BtfKind.Var:
                if (!r.Has(4)) return Truncated(id, kind);
                return new BtfVar(id, name, typeRef, r.U32());
            case BtfKind.DataSec:
            {
                if (!r.Has((long)vlen * 12)) return Truncated(id, kind);
                var vars = new BtfVarSecInfo[vlen];
                for (int i = 0; i < vlen; i++)
                    vars[i] = new BtfVarSecInfo((int)Math.Min(r.U32(), int.MaxValue), r.U32(), r.U32());
                return new BtfDataSec(id, name, sizeOrType, vars);
            }
            case BtfKind.Float:
                return new BtfFloat(id, name, sizeOrType);
            case BtfKind.DeclTag:
                if (!r.Has(4)) return Truncated(id, kind);
                return new BtfDeclTag(id, name, typeRef, (int)r.U32());
            default:
                return Fail($"type [{id}]: unknown kind {(int)kind}");
        }
    }

    private static bool Fits(int length, uint offset, uint size) => offset <= length && size <= length - offset;

    private static BpfError Truncated(int id, BtfKind kind) => new($"BTF: type [{id}] {kind}: record truncated");

    private static BpfError Fail(string message) => new("BTF: " + message);

    /// <summary>A forward-only cursor over the type section; callers check <see cref="Has"/> before reading.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data, ReadOnlySpan<byte> strings)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly ReadOnlySpan<byte> _strings = strings;
        private int _pos;

        public int Remaining => _data.Length - _pos;
        public bool Has(long bytes) => bytes <= Remaining;

        public uint U32()
        {
            uint v = BinaryPrimitives.ReadUInt32LittleEndian(_data[_pos..]);
            _pos += 4;
            return v;
        }

        public string? Name(uint offset) => ElfReader.ReadString(_strings, offset);
    }
}
