using System.Buffers.Binary;

namespace SeccompEbpf.Bpf.Elf.Btf;

/// <summary>
/// Parses .BTF.ext: a header followed by up to three blocks (func_info, line_info, CO-RE
/// relocations). Each block is a record size, then per ELF section its name (a BTF string), a
/// count and that many records. Counts are checked against the block length before any loop.
/// </summary>
public static class BtfExtParser
{
    private const int MinHeaderSize = 24;
    private const int CoreHeaderSize = 32;

    public static BpfResult<BtfExt> Parse(ReadOnlyMemory<byte> section, BtfSpec btf)
    {
        var s = section.Span;
        if (s.Length < MinHeaderSize) return Fail($"section is {s.Length} bytes, too short for a header");
        if (BinaryPrimitives.ReadUInt16LittleEndian(s) != BtfParser.Magic) return Fail("bad magic");
        if (s[2] != 1) return Fail($"version {s[2]} is not supported (expected 1)");
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
        if (hdrLen < MinHeaderSize || hdrLen > s.Length) return Fail($"header length {hdrLen} is out of range");
        var body = s[(int)hdrLen..];

        var funcInfo = new List<BtfFuncInfo>();
        var lineInfo = new List<BtfLineInfo>();
        var core = new List<BtfCoreRelocation>();

        var err = ReadBlock(body, s, 8, 8, "func_info", btf, (sec, r) =>
        {
            funcInfo.Add(new BtfFuncInfo(sec, U32(r, 0), ToId(U32(r, 4))));
            return null;
        });
        if (err is not null) return new BpfError(err);

        err = ReadBlock(body, s, 16, 16, "line_info", btf, (sec, r) =>
        {
            var file = btf.StringAt(U32(r, 4));
            var line = btf.StringAt(U32(r, 8));
            if (file is null || line is null) return "a file or line string is outside the BTF string section";
            uint lineCol = U32(r, 12);
            lineInfo.Add(new BtfLineInfo(sec, U32(r, 0), file, line, lineCol >> 10, lineCol & 0x3ff));
            return null;
        });
        if (err is not null) return new BpfError(err);

        if (hdrLen >= CoreHeaderSize)
        {
            err = ReadBlock(body, s, 24, 16, "core_relo", btf, (sec, r) =>
            {
                var access = btf.StringAt(U32(r, 8));
                if (access is null) return "an access string is outside the BTF string section";
                core.Add(new BtfCoreRelocation(sec, U32(r, 0), ToId(U32(r, 4)), access, (CoreRelocationKind)U32(r, 12)));
                return null;
            });
            if (err is not null) return new BpfError(err);
        }
        return new BtfExt(funcInfo, lineInfo, core);
    }

    /// <param name="offsetField">where in the header the block's offset is (its length follows).</param>
    /// <param name="minRecordSize">the record size this reader understands; larger records are allowed (newer fields are skipped).</param>
    private static string? ReadBlock(ReadOnlySpan<byte> body, ReadOnlySpan<byte> header, int offsetField, int minRecordSize,
        string blockName, BtfSpec btf, Func<string, byte[], string?> onRecord)
    {
        uint off = BinaryPrimitives.ReadUInt32LittleEndian(header[offsetField..]);
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(header[(offsetField + 4)..]);
        if (len == 0) return null;
        if (off > body.Length || len > body.Length - off) return $"BTF.ext: {blockName} (offset {off}, length {len}) runs past the end";
        var block = body.Slice((int)off, (int)len);
        if (block.Length < 4) return $"BTF.ext: {blockName} is too short for its record size";
        uint recordSize = BinaryPrimitives.ReadUInt32LittleEndian(block);
        if (recordSize < minRecordSize || recordSize > 1024)
            return $"BTF.ext: {blockName} record size {recordSize} is not supported (expected at least {minRecordSize})";
        int pos = 4;
        while (pos < block.Length)
        {
            if (block.Length - pos < 8) return $"BTF.ext: {blockName} section header truncated at byte {pos}";
            uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(block[pos..]);
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(block[(pos + 4)..]);
            pos += 8;
            var sectionName = btf.StringAt(nameOff);
            if (sectionName is null) return $"BTF.ext: {blockName} section name offset {nameOff} is outside the BTF string section";
            if ((ulong)count * recordSize > (ulong)(block.Length - pos))
                return $"BTF.ext: {blockName} for section {sectionName}: {count} records of {recordSize} bytes run past the end";
            for (uint i = 0; i < count; i++)
            {
                var problem = onRecord(sectionName, block.Slice(pos, (int)recordSize).ToArray());
                if (problem is not null) return $"BTF.ext: {blockName} for section {sectionName}, record {i}: {problem}";
                pos += (int)recordSize;
            }
        }
        return null;
    }

    private static uint U32(byte[] r, int at) => BinaryPrimitives.ReadUInt32LittleEndian(r.AsSpan(at));

    private static int ToId(uint raw) => raw > int.MaxValue ? -1 : (int)raw;

    private static BpfError Fail(string message) => new("BTF.ext: " + message);
}
