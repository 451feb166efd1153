namespace SeccompEbpf.Bpf.Elf;

/// <summary>
/// One section header with its bytes. <see cref="Contents"/> is empty for NOBITS sections
/// (.bss), whose <see cref="Size"/> still says how many zero bytes they stand for.
/// </summary>
public sealed record ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Flags,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong Alignment,
    ulong EntrySize,
    ReadOnlyMemory<byte> Contents)
{
    public bool IsExecutable => (Flags & ElfConstants.FlagExecInstr) != 0 && Type == ElfConstants.SectionProgBits;
    public bool IsWritable => (Flags & ElfConstants.FlagWrite) != 0;
    public bool IsNoBits => Type == ElfConstants.SectionNoBits;
    public bool IsRelocationTable => Type is ElfConstants.SectionRel or ElfConstants.SectionRela;

    public override string ToString() => $"[{Index}] {Name} {ElfConstants.SectionTypeName(Type)} size={Size}";
}
