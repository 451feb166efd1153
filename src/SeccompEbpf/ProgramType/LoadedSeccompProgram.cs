using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.ProgramType;

/// <summary>The identity of the loader recorded in the program (SEED §2): its user and pid namespaces.</summary>
public sealed record LoaderNamespaces(ulong UserNamespace, ulong PidNamespace)
{
    public static readonly LoaderNamespaces Unknown = new(0, 0);
}

/// <summary>
/// A verified seccomp program, ready to run: instructions and maps, plus what was decided at
/// load time and must not change afterwards (helper set, loader privileges and namespaces).
/// </summary>
public sealed record LoadedSeccompProgram(
    IReadOnlyList<Instruction> Instructions,
    IReadOnlyDictionary<int, MapSpec> Maps,
    SeccompHelperSet HelperSet,
    LoaderPrivileges LoadedWith,
    LoaderNamespaces Namespaces,
    VerificationResult Verification);

/// <summary>Outcome of a load: the program, or the reason it was refused (verification or privileges).</summary>
public sealed record SeccompLoadResult(LoadedSeccompProgram? Program, VerificationResult? Verification, string? RefusedBecause)
{
    public bool Loaded => Program is not null;
}
