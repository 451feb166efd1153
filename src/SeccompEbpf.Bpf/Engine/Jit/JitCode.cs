using SeccompEbpf.Bpf.Helpers;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The constants compiled code refers to (it is the first argument of the dynamic method): the
/// helper implementations of each call site, resolved at compile time, and what the slow paths
/// need to describe a fault. Nothing here changes after compilation.
/// </summary>
public sealed class JitCode
{
    internal JitCode(BpfProgram program, BlockLayout layout, HelperDefinition[] callSites, bool runsAlone, int mainFrameWriteExtent)
    {
        RunsAlone = runsAlone;
        MainFrameWriteExtent = mainFrameWriteExtent;
        Program = program;
        Layout = layout;
        CallSites = callSites;
        Helpers = callSites.Select(h => h.Implementation).ToArray();
        Maps = program.Maps.ToArray();
        _entries = new HashSet<int>(layout.Entries);
    }

    private readonly HashSet<int> _entries;

    public BpfProgram Program { get; }

    /// <summary>
    /// True when the program calls nothing (no helper, bpf-to-bpf call or callx): nothing but the
    /// compiled code itself can observe the run, so the run context's per-run state (program,
    /// regions, pending actions) is never bound; the run state carries what checks need.
    /// </summary>
    public bool RunsAlone { get; }

    /// <summary>
    /// How many bytes below the top of frame 0 a run that <see cref="RunsAlone"/> may write: the
    /// deepest r10-relative store or atomic; the whole frame if any store uses another base register.
    /// </summary>
    public int MainFrameWriteExtent { get; }
    internal BlockLayout Layout { get; }

    /// <summary>Helper implementation of call site k (the compiled code loads element k).</summary>
    public readonly BpfHelper[] Helpers;

    internal HelperDefinition[] CallSites { get; }

    /// <summary>The program's maps by index (direct map lookups load element k).</summary>
    public readonly Maps.BpfMap[] Maps;

    /// <summary>The compiled body; set once right after compilation.</summary>
    public JitBody Body { get; internal set; } = null!;

    /// <summary>True when <paramref name="instructionIndex"/> starts a function the compiled code can be entered at.</summary>
    public bool IsEntry(int instructionIndex) => _entries.Contains(instructionIndex);
}
