using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// Engine builds of seccomp filters. On the JIT, a filter is compiled with the proofs of its one
/// verification at load time (<see cref="VerifiedProgram.FromVerification"/>): the accesses proven in
/// bounds run unchecked and, where termination was proven, without an instruction budget.
/// Everything not proven stays checked.
/// </summary>
public static class SeccompExecutables
{
    /// <summary>
    /// Prepares <paramref name="program"/>, which <see cref="SeccompProgramLoader"/> accepted as
    /// <paramref name="loaded"/>, on <paramref name="engine"/> without verifying it again. If the proofs
    /// cannot be used (the program's helpers differ from the prototypes the verifier knew), the fully
    /// checked build is returned: slower, never less safe.
    /// </summary>
    public static BpfResult<IBpfExecutable> Prepare(BpfProgram program, LoadedSeccompProgram loaded, EngineKind engine)
    {
        if (!ReferenceEquals(program.Instructions, loaded.Instructions) && !program.Instructions.SequenceEqual(loaded.Instructions))
            return new BpfError($"'{program.Name}' is not the program that was verified");
        if (engine != EngineKind.Jit) return BpfEngines.Prepare(program, engine);
        var verified = VerifiedProgram.FromVerification(program, loaded.Verification, loaded.VerifiedWith);
        return verified.IsOk ? verified.Value.Compiled : BpfEngines.Prepare(program, engine);
    }

    /// <summary>Loads <paramref name="program"/> for <paramref name="privileges"/> (one verification) and prepares it.</summary>
    public static BpfResult<IBpfExecutable> Prepare(BpfProgram program, LoaderPrivileges privileges, EngineKind engine)
    {
        var load = SeccompProgramLoader.Load(program, privileges);
        if (!load.Loaded)
            return new BpfError($"'{program.Name}' not loaded as {privileges}: {load.Verification?.Error?.ToString() ?? load.RefusedBecause}");
        return Prepare(program, load.Program!, engine);
    }
}
