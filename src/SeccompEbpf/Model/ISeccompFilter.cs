namespace SeccompEbpf.Model;

/// <summary>
/// One filter in a chain: a classic program or an eBPF program. Both see the same seccomp_data
/// and return a 32-bit seccomp action.
/// </summary>
public interface ISeccompFilter
{
    string Name { get; }

    /// <summary>True for an eBPF filter (attached with the proposal's EXTENDED flag).</summary>
    bool IsExtended { get; }

    /// <summary>The length the kernel counts against its 32,768-instruction limit (eBPF instructions).</summary>
    int LengthForLimit { get; }

    /// <summary>Runs the filter for a system call of <paramref name="task"/> (eBPF helpers read the task; classic filters ignore it).</summary>
    uint Evaluate(in SeccompData data, SeccompThread task);
}

/// <summary>A checked classic filter.</summary>
public sealed class ClassicSeccompFilter(Classic.ClassicProgram program, string name = "classic") : ISeccompFilter
{
    public Classic.ClassicProgram Program { get; } = program;
    public string Name { get; } = name;
    public bool IsExtended => false;
    public int LengthForLimit { get; } = Classic.ClassicKernelCost.ConvertedLength(program);
    public uint Evaluate(in SeccompData data, SeccompThread task) => Program.Run(in data);
    public override string ToString() => $"{Name} (classic, {Program.Length} instructions)";
}

/// <summary>
/// A loaded eBPF seccomp program as the filter chain needs it; the engine layer implements it
/// (verified program, maps, helper set chosen at load time). The chain never copies it: a forked
/// child's filter is the same object, so map state is shared.
/// </summary>
public interface ISeccompProgram
{
    string Name { get; }

    /// <summary>Instruction slots (what the kernel's prog->len counts).</summary>
    int InstructionCount { get; }

    /// <summary>The user namespace of the loader, recorded at load time.</summary>
    UserNamespaceId LoaderUserNamespace { get; }

    uint Run(in SeccompData data, SeccompThread task);
}

/// <summary>An eBPF filter in the chain.</summary>
public sealed class ExtendedSeccompFilter(ISeccompProgram program) : ISeccompFilter
{
    public ISeccompProgram Program { get; } = program;
    public string Name => Program.Name;
    public bool IsExtended => true;
    public int LengthForLimit => Program.InstructionCount;
    public uint Evaluate(in SeccompData data, SeccompThread task) => Program.Run(in data, task);
    public override string ToString() => $"{Name} (eBPF, {Program.InstructionCount} instructions)";
}

/// <summary>A user namespace; <see cref="Initial"/> is the init namespace.</summary>
public readonly record struct UserNamespaceId(long Id)
{
    public static UserNamespaceId Initial => new(0);
}

/// <summary>
/// The caller's file descriptor for a loaded eBPF program. Attaching takes it away (the kernel
/// closes the fd) so the filtered process can no longer reach the program or its maps.
/// </summary>
public sealed class SeccompProgramHandle(ISeccompProgram program)
{
    private ISeccompProgram? _program = program;

    public bool IsOpen => _program is not null;

    /// <summary>The program while the handle is open.</summary>
    public ISeccompProgram? Program => _program;

    internal ISeccompProgram Take()
    {
        var program = _program ?? throw new InvalidOperationException("handle already closed");
        _program = null;
        return program;
    }

    public void Close() => _program = null;
}
