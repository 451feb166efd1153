using SeccompEbpf.Bpf.Verifier;
using SeccompEbpf.Model;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// BPF_PROG_TYPE_SECCOMP: R1 is a read-only struct seccomp_data; only exact-width aligned loads of
/// its fields (4 bytes at 0 and 4, 8 bytes at 8..56); no legacy packet loads; R0 a scalar at exit.
/// </summary>
public sealed class SeccompProgramRules : IProgramTypeRules
{
    public static readonly SeccompProgramRules Instance = new();

    public string Name => "seccomp";
    public int ContextSize => SeccompData.Size;
    public bool AllowsLegacyPacketLoads => false;

    public string? CheckContextAccess(int offset, int size, bool isWrite)
    {
        if (isWrite) return "struct seccomp_data is read-only";
        if (offset < 0 || offset + size > SeccompData.Size) return $"outside the {SeccompData.Size}-byte struct seccomp_data";
        if (offset is SeccompData.NrOffset or SeccompData.ArchOffset)
            return size == 4 ? null : $"{(offset == 0 ? "nr" : "arch")} is a 4-byte field: load it with a 4-byte (u32) load";
        if (offset % 8 == 0)
            return size == 8 ? null : $"{FieldName(offset)} is an 8-byte field: load it with an 8-byte (u64) load";
        return $"offset {offset} is not the start of a field (nr@0, arch@4, instruction_pointer@8, args[0..5]@16..56)";
    }

    private static string FieldName(int offset) =>
        offset == SeccompData.InstructionPointerOffset ? "instruction_pointer" : $"args[{(offset - SeccompData.ArgsOffset) / 8}]";

    public string? CheckReturnValue(RegisterState r0) =>
        r0.IsScalar ? null : $"R0 must hold a seccomp action (a scalar) at exit, not {r0}";
}
