using SeccompEbpf.Bpf.Helpers;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The constants compiled code refers to (it is the first argument of the dynamic method): the
/// helper implementations of each call site, resolved at compile time, and what the slow paths
/// need to describe a fault. Nothing here changes after compilation.
/// </summary>
public sealed class JitCode
{
    internal JitCode(BpfProgram program, BlockLayout layout, HelperDefinition[] callSites)
    {
        Program = program;
        Layout = layout;
        CallSites = callSites;
        Helpers = callSites.Select(h => h.Implementation).ToArray();
        _entries = new HashSet<int>(layout.Entries);
    }

    private readonly HashSet<int> _entries;

    public BpfProgram Program { get; }
    internal BlockLayout Layout { get; }

    /// <summary>Helper implementation of call site k (the compiled code loads element k).</summary>
    public readonly BpfHelper[] Helpers;

    internal HelperDefinition[] CallSites { get; }

    /// <summary>The compiled body; set once right after compilation.</summary>
    public JitBody Body { get; internal set; } = null!;

    /// <summary>True when <paramref name="instructionIndex"/> starts a function the compiled code can be entered at.</summary>
    public bool IsEntry(int instructionIndex) => _entries.Contains(instructionIndex);
}
