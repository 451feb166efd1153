using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The JIT engine: validates a program like every engine (<see cref="ProgramChecks"/>), then
/// compiles it to a dynamic method. Programs are run fully checked unless <see cref="JitOptions"/>
/// carries a verifier's proofs; unverified programs are accepted, never refused.
/// </summary>
public sealed class BpfJit(JitOptions options) : IBpfEngine
{
    public static BpfJit Instance { get; } = new(JitOptions.Default);

    // Tail-call targets are compiled on first use and kept as long as their program lives.
    private static readonly ConditionalWeakTable<BpfProgram, JitCode> s_tailCallTargets = new();

    public JitOptions Options { get; } = options;
    public EngineKind Kind => EngineKind.Jit;

    public BpfResult<IBpfExecutable> Prepare(BpfProgram program)
    {
        var compiled = Compile(program, Options);
        return compiled.IsOk ? compiled.Value : compiled.Error!;
    }

    /// <summary>Validates and compiles; the result reports its compile time.</summary>
    public static BpfResult<JittedProgram> Compile(BpfProgram program, JitOptions? options = null)
    {
        options ??= JitOptions.Default;
        long start = Stopwatch.GetTimestamp();
        var error = ProgramChecks.Validate(program);
        if (error is not null) return error;
        JitCode code;
        try
        {
            code = JitCompiler.Compile(program, options);
        }
        catch (Exception e) when (e is InvalidProgramException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            // Only a JIT bug gets here; report it as a value rather than crash the caller.
            return new BpfError($"the JIT could not compile '{program.Name}' ({e.GetType().Name}: {e.Message}); use the interpreter");
        }
        return new JittedProgram(code, options, Stopwatch.GetElapsedTime(start));
    }

    /// <summary>The compiled code of a tail-call target (checked-everything options), compiled once.</summary>
    internal static BpfResult<JitCode> CodeFor(BpfProgram program)
    {
        if (s_tailCallTargets.TryGetValue(program, out var code)) return code;
        var compiled = Compile(program);
        if (!compiled.IsOk) return compiled.Error!;
        return s_tailCallTargets.GetValue(program, _ => compiled.Value.Code);
    }
}
