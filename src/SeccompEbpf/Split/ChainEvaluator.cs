using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Model;

namespace SeccompEbpf.Split;

/// <summary>The verdict of the whole stack for one call, and the filter that chose it (null when every filter allowed).</summary>
public readonly record struct ChainDecision(SeccompAction Action, string? Filter, string? Error = null);

/// <summary>
/// The user-space side of the split: runs every filter of the stack on a notified call (eBPF on the
/// engine with its live maps, classic filters and profiles on their interpreters) and combines the
/// results as the kernel would. Not thread-safe: the supervisor calls it one notification at a time,
/// which also gives map updates the order a single kernel CPU would.
/// </summary>
public sealed class ChainEvaluator : IDisposable
{
    private readonly PolicyStack _stack;
    private readonly IBpfExecutable?[] _executables;
    private readonly BpfRunContext _context = new();
    private readonly byte[] _data = new byte[SeccompData.Size];

    private ChainEvaluator(PolicyStack stack, IBpfExecutable?[] executables)
    {
        _stack = stack;
        _executables = executables;
    }

    /// <summary>
    /// Prepares every eBPF filter on <paramref name="engine"/>; an error names the filter that failed.
    /// A filter the loader verified is built from that verification (on the JIT, without the checks
    /// its proofs cover); one put in a stack by hand runs fully checked.
    /// </summary>
    public static Bpf.BpfResult<ChainEvaluator> Create(PolicyStack stack, EngineKind engine = EngineKind.Interpreter)
    {
        var executables = new IBpfExecutable?[stack.Filters.Count];
        for (int i = 0; i < stack.Filters.Count; i++)
        {
            if (stack.Filters[i] is not EbpfStackFilter e) continue;
            var prepared = e.Loaded is { } loaded
                ? ProgramType.SeccompExecutables.Prepare(e.Program, loaded, engine)
                : BpfEngines.Prepare(e.Program, engine);
            if (!prepared.IsOk) return prepared.Error! with { Message = $"{e.Name}: {prepared.Error!.Message}" };
            executables[i] = prepared.Value;
        }
        return new ChainEvaluator(stack, executables);
    }

    /// <summary>Runs the chain newest first. An eBPF run-time fault counts as KILL_PROCESS for that filter (fail closed).</summary>
    // The supervisor's hot path: optimised at once, not after a tier-0 phase.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public ChainDecision Decide(in SeccompData data, IProcessEnvironment? environment)
    {
        data.WriteTo(_data);
        _context.Environment = environment;
        uint action = SeccompAction.Allow;
        string? decidedBy = null, error = null;
        for (int i = _stack.Filters.Count - 1; i >= 0; i--)
        {
            var filter = _stack.Filters[i];
            uint result;
            switch (filter)
            {
                case EbpfStackFilter:
                    var run = _executables[i]!.RunWithContext(_context, _data);
                    if (run.IsOk) result = (uint)run.R0;
                    else { result = SeccompAction.KillProcess; error ??= $"{filter.Name}: {run.Error}"; }
                    break;
                case ClassicStackFilter c: result = c.Program.Run(in data); break;
                case ProfileStackFilter p: result = p.Plan.Evaluate(in data); break;
                default: result = SeccompAction.KillProcess; break;
            }
            if (FilterPrecedence.Combine(action, result) != action)
            {
                action = result;
                decidedBy = filter.Name;
            }
        }
        return new ChainDecision(new SeccompAction(action), decidedBy, error);
    }

    public void Dispose() => _context.Dispose();
}
