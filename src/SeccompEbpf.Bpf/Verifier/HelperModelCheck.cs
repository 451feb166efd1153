using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Before proofs are trusted at run time: the prototypes the verifier checked a helper call
/// against must describe what the engine's helper really does with memory. If the verifier
/// believed a helper only reads a stack buffer while the engine's helper writes it, a spilled
/// pointer there could be overwritten behind the verifier's back and a "proven" load through it
/// would go wild. So every memory-related argument kind and the return kind must match exactly;
/// only plain values (scalar / anything / unused) may differ.
/// </summary>
public static class HelperModelCheck
{
    /// <summary>Null when every helper <paramref name="program"/> calls is modelled faithfully; else what differs.</summary>
    public static string? FindMismatch(IReadOnlyList<Instruction> program, IReadOnlyDictionary<int, HelperPrototype> verifierModel, HelperTable engineHelpers)
    {
        var checkedIds = new HashSet<int>();
        foreach (var insn in program)
        {
            if (!insn.IsHelperCall || !checkedIds.Add(insn.Imm)) continue;
            // A helper unknown to either side is refused there (verifier or engine checks): nothing to trust.
            if (!verifierModel.TryGetValue(insn.Imm, out var model) || engineHelpers.Find(insn.Imm) is not { } real) continue;
            if (Mismatch(model, real.Prototype) is { } why) return why;
        }
        return null;
    }

    /// <summary>Null when <paramref name="model"/> (verifier) agrees with <paramref name="real"/> (engine) on everything memory safety depends on.</summary>
    public static string? Mismatch(HelperPrototype model, HelperPrototype real)
    {
        string Describe() => $"helper #{real.Id}: the verifier checked calls against {model}, but the engine runs {real}";
        if (model.Returns != real.Returns) return Describe() + " (different return kinds)";
        if (model.MayNotReturn != real.MayNotReturn) return Describe() + " (one may not return)";
        for (int i = 0; i < 5; i++)
        {
            var m = i < model.Args.Length ? model.Args[i] : HelperArg.None;
            var r = i < real.Args.Length ? real.Args[i] : HelperArg.None;
            if (m != r && (IsMemoryRelated(m) || IsMemoryRelated(r)))
                return Describe() + $" (argument {i + 1}: {m} vs {r})";
        }
        return null;
    }

    /// <summary>Kinds that say which memory a helper touches, how much, or what it hands back.</summary>
    private static bool IsMemoryRelated(HelperArg kind) => kind is not (HelperArg.None or HelperArg.Scalar or HelperArg.Anything);
}
