namespace SeccompEbpf.Split;

/// <summary>One path's state in the partial evaluator: registers, known stack bytes, and the bpf-to-bpf call frames.</summary>
internal sealed class AbstractState
{
    private AbstractState(AbstractValue[] regs, Dictionary<(int Frame, long Offset), (int Size, AbstractValue Value)> stack,
        List<(int ReturnPc, AbstractValue[] Saved)> frames, int pc)
    {
        Regs = regs;
        _stack = stack;
        Frames = frames;
        Pc = pc;
    }

    private readonly Dictionary<(int Frame, long Offset), (int Size, AbstractValue Value)> _stack;

    public AbstractValue[] Regs { get; }
    public List<(int ReturnPc, AbstractValue[] Saved)> Frames { get; }
    public int Pc { get; set; }

    /// <summary>r1 = the context, r10 = the frame pointer; everything else unknown.</summary>
    public static AbstractState Initial()
    {
        var regs = new AbstractValue[11];
        regs[1] = new AbstractValue(AbstractKind.Context, 0);
        regs[10] = new AbstractValue(AbstractKind.Stack, 0, Frame: 0);
        return new AbstractState(regs, [], [], 0);
    }

    public AbstractState Clone() => new((AbstractValue[])Regs.Clone(), new(_stack),
        Frames.Select(f => (f.ReturnPc, (AbstractValue[])f.Saved.Clone())).ToList(), Pc);

    public void Store(int frame, long offset, int size, AbstractValue value)
    {
        foreach (var key in _stack.Keys.Where(k => k.Frame == frame && k.Offset < offset + size && offset < k.Offset + _stack[k].Size).ToList())
            _stack.Remove(key);
        if (size < 8) value = value.IsConstant ? AbstractValue.Of(value.Low & (ulong.MaxValue >> (64 - 8 * size))) : size == 4 ? value.Low32() : AbstractValue.Unknown;
        _stack[(frame, offset)] = (size, value);
    }

    public AbstractValue Load(int frame, long offset, int size) =>
        _stack.TryGetValue((frame, offset), out var slot) && slot.Size == size ? slot.Value : AbstractValue.Unknown;

    public void ForgetFrame(int frame)
    {
        foreach (var key in _stack.Keys.Where(k => k.Frame == frame).ToList()) _stack.Remove(key);
    }

    /// <summary>bpf-to-bpf call: r6-r9 are saved, the callee gets a new frame, r0 and r1-r5 keep flowing.</summary>
    public void Call(int target)
    {
        Frames.Add((Pc + 1, Regs[6..10]));
        int depth = Frames.Count;
        ForgetFrame(depth);
        Regs[10] = new AbstractValue(AbstractKind.Stack, 0, Frame: depth);
        Pc = target;
    }

    public void Return()
    {
        int depth = Frames.Count;
        var (returnPc, saved) = Frames[^1];
        Frames.RemoveAt(Frames.Count - 1);
        ForgetFrame(depth);
        saved.CopyTo(Regs, 6);
        Regs[10] = new AbstractValue(AbstractKind.Stack, 0, Frame: Frames.Count);
        for (int r = 1; r <= 5; r++) Regs[r] = AbstractValue.Unknown;
        Pc = returnPc;
    }
}
