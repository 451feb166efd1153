using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// A program the verifier accepted, compiled by the JIT without the run-time checks the
/// verification made redundant: the proven loads, stores and atomics run unchecked, and the
/// instruction budget is dropped because every path was shown to end.
/// <para>
/// What the proofs assume about a run, and how it is kept: maps are the program's own (the
/// verifier is given their specs, by index, from the program); helpers behave as the prototypes
/// the verifier used (<see cref="HelperModelCheck"/>, checked when preparing); R1 points to at
/// least <see cref="AccessProofs.ContextBytesRead"/> readable bytes (the JIT checks it once per
/// run, a run that breaks it is refused with an error, never run); stack reads see only what the
/// program wrote, unless the loader was allowed uninitialised reads (then the frame is cleared). Everything else the verifier did
/// not prove stays checked, and tail-call targets are always compiled fully checked.
/// </para>
/// </summary>
public sealed class VerifiedProgram : IBpfExecutable
{
    private readonly JittedProgram _compiled;

    private VerifiedProgram(JittedProgram compiled, VerificationResult verification)
    {
        _compiled = compiled;
        Verification = verification;
    }

    public VerificationResult Verification { get; }
    public JittedProgram Compiled => _compiled;
    public BpfProgram Program => _compiled.Program;
    public EngineKind Kind => EngineKind.Jit;

    /// <summary>
    /// Verifies <paramref name="program"/> with <paramref name="options"/> (whose maps are replaced by
    /// the program's own) and compiles it with the proven checks removed. A rejection comes back as
    /// an error naming the instruction and the rule.
    /// </summary>
    public static BpfResult<VerifiedProgram> Prepare(BpfProgram program, VerifierOptions options)
    {
        var withMaps = options with { Maps = MapSpecsOf(program) };
        if (HelperModelCheck.FindMismatch(program.Instructions, withMaps.Helpers, program.Helpers) is { } mismatch)
            return new BpfError($"'{program.Name}' cannot run with proofs: {mismatch}");
        var verification = BpfVerifier.Verify(program.Instructions, withMaps);
        if (!verification.Accepted) return verification.Error!.ToBpfError();
        return Compile(program, verification, withMaps);
    }

    /// <summary>
    /// Compiles <paramref name="program"/> with the proofs of a verification a loader already made of
    /// exactly these instructions, with <paramref name="options"/> and the program's own maps: the
    /// program is verified once, and its proofs serve the JIT.
    /// </summary>
    public static BpfResult<VerifiedProgram> FromVerification(BpfProgram program, VerificationResult verification, VerifierOptions options)
    {
        if (!verification.Accepted) return new BpfError($"'{program.Name}' was rejected by the verifier: it has no proofs to run with");
        var maps = MapSpecsOf(program);
        if (options.Maps.Count != maps.Count || maps.Any(m => !options.Maps.TryGetValue(m.Key, out var verified) || !verified.Equals(m.Value)))
            return new BpfError($"'{program.Name}' was verified with other maps than it runs with: its proofs do not hold");
        if (HelperModelCheck.FindMismatch(program.Instructions, options.Helpers, program.Helpers) is { } mismatch)
            return new BpfError($"'{program.Name}' cannot run with proofs: {mismatch}");
        return Compile(program, verification, options);
    }

    private static BpfResult<VerifiedProgram> Compile(BpfProgram program, VerificationResult verification, VerifierOptions options)
    {
        var compiled = BpfJit.Compile(program, JitOptionsFor(verification, options));
        if (!compiled.IsOk) return compiled.Error!;
        return new VerifiedProgram(compiled.Value, verification);
    }

    /// <summary>
    /// The JIT options a verification with <paramref name="options"/> allows: its proven accesses
    /// unchecked; no budget if it proved termination; no frame clearing if uninitialised stack
    /// reads were refused; and, where the program reads its context, a check once per run that r1
    /// points at least that many bytes (a run that breaks it is refused, never run).
    /// </summary>
    public static JitOptions JitOptionsFor(VerificationResult verification, VerifierOptions options) => verification.Accepted
        ? new JitOptions
        {
            ProvenSafeAccesses = verification.Accesses.ProvenSafe,
            EnforceInstructionBudget = !verification.ProvedTermination,
            StackReadsProvenInitialized = !options.AllowUninitializedStackReads,
            AssumedContextSize = verification.Accesses.ContextBytesRead > 0 ? verification.Accesses.ContextBytesRead : null,
        }
        : JitOptions.Default;

    public BpfRunResult Run(BpfRunContext context, in BpfRunArgs args) => _compiled.Run(context, args);

    public unsafe BpfRunResult RunWithContext(BpfRunContext context, void* data, int length, bool writable) =>
        _compiled.RunWithContext(context, data, length, writable);

    private static Dictionary<int, MapSpec> MapSpecsOf(BpfProgram program)
    {
        var specs = new Dictionary<int, MapSpec>();
        for (int i = 0; i < program.Maps.Count; i++) specs[i] = program.Maps[i].Spec;
        return specs;
    }

    public override string ToString() =>
        $"{Program.Name} (verified JIT: {Verification.Accesses.ProvenSafe.Count} of {Verification.Accesses.MemoryAccesses} accesses unchecked" +
        $"{(Verification.ProvedTermination ? ", no instruction budget" : "")})";
}
