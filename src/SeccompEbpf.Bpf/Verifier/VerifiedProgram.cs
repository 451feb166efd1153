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
/// least <see cref="AccessProofs.ContextBytesRead"/> readable bytes (checked on every run, a
/// run that breaks it is refused with an error, never run). Everything else the verifier did
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
        var compiled = BpfJit.Compile(program, JitOptionsFor(verification));
        if (!compiled.IsOk) return compiled.Error!;
        return new VerifiedProgram(compiled.Value, verification);
    }

    /// <summary>The JIT options a verification result allows: its proven accesses unchecked, no budget if it proved termination.</summary>
    public static JitOptions JitOptionsFor(VerificationResult verification) => verification.Accepted
        ? new JitOptions
        {
            ProvenSafeAccesses = verification.Accesses.ProvenSafe,
            EnforceInstructionBudget = !verification.ProvedTermination,
        }
        : JitOptions.Default;

    public BpfRunResult Run(BpfRunContext context, in BpfRunArgs args)
    {
        if (ContextTooSmall(args) is { } why) return BpfRunResult.Failure(new BpfError(why), 0);
        return _compiled.Run(context, args);
    }

    private string? ContextTooSmall(in BpfRunArgs args)
    {
        int needed = Verification.Accesses.ContextBytesRead;
        if (needed == 0) return null;
        var region = args.Context.Length > 0 ? args.Context : args.Memory;
        if (args.R1 == region.Start && region.Length >= (ulong)needed) return null;
        return $"'{Program.Name}' was verified to read {needed} context bytes at R1, but this run passes R1=0x{args.R1:x} " +
               $"with {(args.R1 == region.Start ? $"{region.Length} bytes" : "no region starting there")}: pass the whole context";
    }

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
