using System.Buffers.Binary;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// BPF_MAP_TYPE_PROG_ARRAY: the jump table of tail calls. The controlling side installs programs
/// with <see cref="Set"/> (the kernel takes program fds; here programs are objects). Programs are
/// structurally validated on insertion, so a tail call can only reach a checked program.
/// </summary>
public sealed class ProgramArrayMap : BpfMap
{
    private readonly BpfProgram?[] _programs;

    public ProgramArrayMap(MapSpec spec) : base(spec) => _programs = new BpfProgram?[spec.MaxEntries];

    public override IReadOnlyList<MemoryRegion> Regions => [];

    /// <summary>Installs (or with null removes) the program at <paramref name="index"/>.</summary>
    public BpfError? Set(uint index, BpfProgram? program)
    {
        if (index >= MaxEntries) return new BpfError($"program array '{Name}' has {MaxEntries} slots; index {index} is out of range");
        if (program is not null && ProgramChecks.Validate(program) is { } error)
            return new BpfError($"program '{program.Name}' cannot be a tail-call target: {error}", error.InstructionIndex);
        Volatile.Write(ref _programs[index], program);
        return null;
    }

    /// <summary>The program at <paramref name="index"/>, or null (also for out-of-range indices, as the tail_call helper needs).</summary>
    public BpfProgram? Get(ulong index) => index < (ulong)_programs.Length ? Volatile.Read(ref _programs[index]) : null;

    public override long Delete(ReadOnlySpan<byte> key)
    {
        if (!KeyFits(key)) return -LinuxErrno.EINVAL;
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(key);
        if (index >= MaxEntries) return -LinuxErrno.E2BIG;
        return Interlocked.Exchange(ref _programs[index], null) is null ? -LinuxErrno.ENOENT : 0;
    }

    public override IReadOnlyList<byte[]> GetKeys() =>
        Enumerable.Range(0, _programs.Length).Where(i => Volatile.Read(ref _programs[i]) is not null)
            .Select(i => BitConverter.GetBytes((uint)i)).ToArray();
}
