using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy.Sources;

/// <summary>What every <see cref="IPolicySource"/> of one policy shares.</summary>
public sealed class PolicyLoadContext
{
    private readonly Action<string>? _warn;

    internal PolicyLoadContext(IReadOnlyList<SyscallArch> arches, LoaderPrivileges loader, bool strict = false, Action<string>? warn = null)
    {
        Arches = arches;
        Loader = loader;
        Helpers = SeccompHelperSet.ChooseFor(loader);
        Strict = strict;
        _warn = warn;
    }

    /// <summary>Warnings are errors: a source returns them as its error instead of calling <see cref="Warn"/>.</summary>
    public bool Strict { get; }

    /// <summary>Something the user should know that does not stop the policy (the source names itself in it).</summary>
    public void Warn(string message) => _warn?.Invoke(message);

    /// <summary>The ABIs the policy filters; the first is the machine's native one.</summary>
    public IReadOnlyList<SyscallArch> Arches { get; }

    /// <summary>Who loads the eBPF programs: their helper set and verifier limits follow.</summary>
    public LoaderPrivileges Loader { get; }

    /// <summary>The helper set chosen once for <see cref="Loader"/>.</summary>
    public SeccompHelperSet Helpers { get; }

    /// <summary>A profile is resolved as Docker resolves it on a machine whose native ABI is <c>Arches[0]</c>.</summary>
    public ProfileTarget ProfileTarget => new() { NativeArch = Arches[0] };

    /// <summary>
    /// An eBPF program as a filter: its maps created, its helpers the loader's, verified once as
    /// BPF_PROG_TYPE_SECCOMP (the result, with its proofs, stays with the filter for the engines).
    /// A rejection names <paramref name="location"/>, the program, the C line when the object has
    /// line info, the instruction and the rule.
    /// </summary>
    public BpfResult<EbpfStackFilter> Ebpf(string name, Instruction[] code, IReadOnlyList<MapSpec> maps, string location, ObjectProgram? source = null)
    {
        var program = BpfProgram.Create(name, code, maps, Helpers.Runtime);
        if (!program.IsOk) return program.Error! with { Location = location };
        var load = SeccompProgramLoader.Load(program.Value, Loader);
        if (load.Loaded) return new EbpfStackFilter(name, program.Value, load.Program);
        foreach (var map in program.Value.Maps) map.Dispose();
        var why = load.Verification?.Error is { } error ? "\n" + error.Describe(source) : ": " + load.RefusedBecause;
        return new BpfError($"program '{name}' not loaded as a seccomp filter for a loader with {Loader}{why}", Location: location);
    }
}
