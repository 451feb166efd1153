using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// Loads a program as BPF_PROG_TYPE_SECCOMP: checks the priv-only sysctl, chooses the helper set
/// from the loader's privileges, verifies with the matching limits, and records the choice.
/// </summary>
public static class SeccompProgramLoader
{
    public static VerifierOptions OptionsFor(LoaderPrivileges privileges, SeccompHelperSet helpers,
        IReadOnlyDictionary<int, MapSpec>? maps = null, int logLevel = 0)
    {
        var options = new VerifierOptions(SeccompProgramRules.Instance)
        {
            Helpers = helpers.Helpers,
            Maps = maps ?? new Dictionary<int, MapSpec>(),
            AllowMapAccess = helpers.MapAccess,
            LogLevel = logLevel,
            // As the kernel: CAP_BPF allows loops and the large limit, CAP_PERFMON allows pointer
            // leaks and reads of uninitialised stack (the engines give such reads a cleared frame).
            AllowLoops = privileges.CapBpf,
            MaxInstructions = privileges.CapBpf ? VerifierOptions.ComplexityLimit : VerifierOptions.UnprivilegedMaxInstructions,
            AllowPointerLeaks = privileges.CapPerfmon,
            AllowUninitializedStackReads = privileges.CapPerfmon,
        };
        return options;
    }

    public static SeccompLoadResult Load(IReadOnlyList<Instruction> program, LoaderPrivileges privileges,
        IReadOnlyDictionary<int, MapSpec>? maps = null, int logLevel = 0)
    {
        if (privileges.PrivOnlySysctl is < 0 or > 2)
            return new SeccompLoadResult(null, null, $"seccomp_ebpf_priv_only must be 0, 1 or 2, not {privileges.PrivOnlySysctl}");
        if (privileges.PrivOnlySysctl != 0 && !privileges.IsPrivileged)
            return new SeccompLoadResult(null, null,
                $"seccomp_ebpf_priv_only={privileges.PrivOnlySysctl}: loading needs CAP_BPF and CAP_PERFMON (loader has {privileges})");
        var helpers = SeccompHelperSet.ChooseFor(privileges);
        var result = BpfVerifier.Verify(program, OptionsFor(privileges, helpers, maps, logLevel));
        if (!result.Accepted) return new SeccompLoadResult(null, result, "the verifier rejected the program");
        var loaded = new LoadedSeccompProgram(program, maps ?? new Dictionary<int, MapSpec>(), helpers, privileges, result);
        return new SeccompLoadResult(loaded, result, null);
    }

    /// <summary>Loads an engine program (its instructions, with its own maps' specs).</summary>
    public static SeccompLoadResult Load(BpfProgram program, LoaderPrivileges privileges, int logLevel = 0) =>
        Load(program.Instructions, privileges, MapSpecsOf(program), logLevel);

    public static Dictionary<int, MapSpec> MapSpecsOf(BpfProgram program)
    {
        var specs = new Dictionary<int, MapSpec>();
        for (int i = 0; i < program.Maps.Count; i++) specs[i] = program.Maps[i].Spec;
        return specs;
    }
}
