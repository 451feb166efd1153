using SeccompEbpf.Bpf;

namespace SeccompEbpf.Classic.Text;

/// <summary>Raw <c>struct sock_filter</c> arrays as the kernel takes them: 8 bytes per instruction, little-endian.</summary>
public static class ClassicBinaryFormat
{
    public static byte[] Write(IReadOnlyList<ClassicInstruction> program) => ClassicInstruction.ToBytes(program);

    public static BpfResult<ClassicInstruction[]> Read(ReadOnlySpan<byte> bytes, string fileName = "<input>")
    {
        if (bytes.Length % ClassicInstruction.Size != 0)
            return new BpfError($"{bytes.Length} bytes is not a whole number of 8-byte sock_filter instructions", Location: fileName);
        return ClassicInstruction.Decode(bytes);
    }
}
