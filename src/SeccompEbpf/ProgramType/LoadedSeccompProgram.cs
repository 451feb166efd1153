using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// A verified seccomp program, ready to run: instructions and maps, plus what was decided at
/// load time and must not change afterwards (helper set, the loader with its namespaces, and the
/// verifier's proofs, which the JIT uses instead of verifying again).
/// </summary>
public sealed record LoadedSeccompProgram(
    IReadOnlyList<Instruction> Instructions,
    IReadOnlyDictionary<int, MapSpec> Maps,
    SeccompHelperSet HelperSet,
    LoaderPrivileges LoadedWith,
    VerificationResult Verification)
{
    /// <summary>The options it was verified with: its proofs hold under these and no others.</summary>
    public VerifierOptions VerifiedWith => SeccompProgramLoader.OptionsFor(LoadedWith, HelperSet, Maps);
}

/// <summary>Outcome of a load: the program, or the reason it was refused (verification or privileges).</summary>
public sealed record SeccompLoadResult(LoadedSeccompProgram? Program, VerificationResult? Verification, string? RefusedBecause)
{
    public bool Loaded => Program is not null;
}
