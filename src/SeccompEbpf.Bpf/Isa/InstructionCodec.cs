using System.Buffers.Binary;

namespace SeccompEbpf.Bpf.Isa;

/// <summary>Little-endian 8-byte wire format (RFC 9669 §3) to and from <see cref="Instruction"/>.</summary>
public static class InstructionCodec
{
    public static Instruction Decode(ReadOnlySpan<byte> slot)
    {
        if (slot.Length < Instruction.Size)
            throw new ArgumentException($"an instruction is {Instruction.Size} bytes, got {slot.Length}");
        return new Instruction(
            slot[0],
            (byte)(slot[1] & 0x0f),
            (byte)(slot[1] >> 4),
            BinaryPrimitives.ReadInt16LittleEndian(slot[2..]),
            BinaryPrimitives.ReadInt32LittleEndian(slot[4..]));
    }

    /// <summary>Decodes a whole program. The length must be a multiple of 8 (the error names the trailing bytes).</summary>
    public static BpfResult<Instruction[]> DecodeProgram(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Instruction.Size != 0)
        {
            int whole = bytes.Length / Instruction.Size;
            // With no whole instruction there is no "instruction -1" to point after.
            string where = whole == 0 ? "shorter than one instruction" : $"{bytes.Length % Instruction.Size} trailing byte(s) after instruction {whole - 1}";
            return BpfError.At(whole, $"program is {bytes.Length} bytes, not a multiple of {Instruction.Size}: {where}");
        }
        var result = new Instruction[bytes.Length / Instruction.Size];
        for (int i = 0; i < result.Length; i++)
            result[i] = Decode(bytes.Slice(i * Instruction.Size, Instruction.Size));
        return result;
    }

    public static void Encode(Instruction insn, Span<byte> slot)
    {
        slot[0] = insn.Opcode;
        slot[1] = (byte)((insn.Dst & 0x0f) | (insn.Src << 4));
        BinaryPrimitives.WriteInt16LittleEndian(slot[2..], insn.Offset);
        BinaryPrimitives.WriteInt32LittleEndian(slot[4..], insn.Imm);
    }

    public static byte[] EncodeProgram(IReadOnlyList<Instruction> program)
    {
        var bytes = new byte[program.Count * Instruction.Size];
        for (int i = 0; i < program.Count; i++)
            Encode(program[i], bytes.AsSpan(i * Instruction.Size, Instruction.Size));
        return bytes;
    }
}
