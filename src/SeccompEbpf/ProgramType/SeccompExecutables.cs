using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// Engine builds of seccomp filters. On the JIT, a filter is compiled with the verifier's proofs
/// for the loader's privileges (<see cref="VerifiedProgram"/>): the accesses proven in bounds run
/// unchecked and, where termination was proven, without an instruction budget. Everything not
/// proven stays checked.
/// </summary>
public static class SeccompExecutables
{
    /// <summary>
    /// Prepares <paramref name="program"/> (already accepted by <see cref="SeccompProgramLoader"/>
    /// for <paramref name="privileges"/>) on <paramref name="engine"/>. If the proofs cannot be
    /// used (the program's helpers differ from the prototypes the verifier knows), the fully
    /// checked build is returned: slower, never less safe.
    /// </summary>
    public static BpfResult<IBpfExecutable> Prepare(BpfProgram program, LoaderPrivileges privileges, EngineKind engine)
    {
        if (engine != EngineKind.Jit) return BpfEngines.Prepare(program, engine);
        var options = SeccompProgramLoader.OptionsFor(privileges, SeccompHelperSet.ChooseFor(privileges));
        var verified = VerifiedProgram.Prepare(program, options);
        return verified.IsOk ? verified.Value.Compiled : BpfEngines.Prepare(program, engine);
    }
}
