using SeccompEbpf.Classic;

namespace SeccompEbpf.Linux.Policies;

/// <summary>Reads a raw cBPF seccomp program: an array of 8-byte struct sock_filter, as the kernel takes it.</summary>
public static class ClassicFilterFile
{
    /// <summary>The program, or null with a message naming the file and the problem.</summary>
    public static IReadOnlyList<ClassicInstruction>? TryRead(string path, out string error)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: {e.Message}";
            return null;
        }
        if (bytes.Length == 0 || bytes.Length % ClassicInstruction.Size != 0)
        {
            error = $"{path}: {bytes.Length} bytes is not a whole number of 8-byte sock_filter instructions";
            return null;
        }
        var count = bytes.Length / ClassicInstruction.Size;
        if (count > ClassicInstruction.MaxInstructions)
        {
            error = $"{path}: {count} instructions; the kernel accepts at most {ClassicInstruction.MaxInstructions}";
            return null;
        }
        var program = new ClassicInstruction[count];
        for (int i = 0; i < count; i++) program[i] = ClassicInstruction.Read(bytes.AsSpan(i * ClassicInstruction.Size));
        error = "";
        return program;
    }
}
