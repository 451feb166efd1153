namespace SeccompEbpf.Bpf.Verifier;

/// <summary>The abstract machine state on one path: the call frames (innermost last) and the open references.</summary>
public sealed class VerifierState
{
    public List<FrameState> Frames { get; } = new();
    /// <summary>References acquired from helpers (ring buffer reservations) that must be released before exit.</summary>
    public List<(int RefId, int Insn)> References { get; } = new();

    public FrameState Current => Frames[^1];
    public RegisterState[] Regs => Current.Regs;

    public VerifierState Clone()
    {
        var s = new VerifierState();
        foreach (var f in Frames) s.Frames.Add(f.Clone());
        s.References.AddRange(References);
        return s;
    }

    /// <summary>Every register and spilled register in every frame, with a setter (used to update copies by id).</summary>
    public void UpdateAll(Func<RegisterState, RegisterState> update)
    {
        foreach (var f in Frames)
        {
            for (int r = 0; r < f.Regs.Length; r++) f.Regs[r] = update(f.Regs[r]);
            for (int i = f.FirstUsedSlot; i < f.Spills.Length; i++)
                if (f.Spills[i] is { } s) f.Spills[i] = update(s);
        }
    }

    /// <summary>The register state of the innermost frame, as the kernel prints it: only initialised registers.</summary>
    public string RegistersText()
    {
        var parts = new List<string>();
        var regs = Regs;
        for (int r = 0; r <= 10; r++)
            if (regs[r].IsInit) parts.Add($"R{r}={regs[r]}");
        var f = Current;
        for (int slot = FrameState.SlotCount - 1; slot >= f.FirstUsedSlot; slot--)
        {
            int off = slot * 8 - FrameState.StackSize;
            if (f.Spills[slot] is { } spilled) parts.Add($"fp{off}={spilled}");
            else
            {
                var bytes = f.Stack.AsSpan(slot * 8, 8);
                if (bytes.IndexOfAnyExcept(StackByte.Invalid) < 0) continue;
                parts.Add($"fp{off}=" + string.Concat(bytes.ToArray().Reverse().Select(b => b switch
                {
                    StackByte.Misc => 'm', StackByte.Zero => '0', StackByte.Spill => 'r', _ => '?',
                })));
            }
        }
        return (Frames.Count > 1 ? $"frame{Frames.Count - 1}: " : "") + string.Join(" ", parts);
    }
}
