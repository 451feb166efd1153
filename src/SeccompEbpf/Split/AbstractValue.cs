namespace SeccompEbpf.Split;

/// <summary>What the partial evaluator knows about a register or a stack slot.</summary>
internal enum AbstractKind
{
    /// <summary>Anything: uninitialised, computed from unknowns, a helper's result.</summary>
    Unknown,
    /// <summary>Exactly <see cref="AbstractValue.Low"/>.</summary>
    Constant,
    /// <summary>Some number in [Low, High] (a class of syscall numbers or arches analysed together).</summary>
    Range,
    /// <summary>Pointer to seccomp_data + Low (Low = <see cref="AbstractValue.UnknownOffset"/> when not known).</summary>
    Context,
    /// <summary>Pointer to the frame pointer of call depth Frame + (long)Low.</summary>
    Stack,
    /// <summary>Pointer into the value of map Map at offset Low (lddw map_value).</summary>
    MapValue,
    /// <summary>A map handle (lddw map_fd): only useful as a helper argument.</summary>
    MapHandle,
}

internal readonly record struct AbstractValue(AbstractKind Kind, ulong Low = 0, ulong High = 0, int Frame = 0, int Map = -1)
{
    public const ulong UnknownOffset = ulong.MaxValue;

    public static readonly AbstractValue Unknown = new(AbstractKind.Unknown);
    public static AbstractValue Of(ulong value) => new(AbstractKind.Constant, value, value);
    public static AbstractValue Between(ulong low, ulong high) => low == high ? Of(low) : new(AbstractKind.Range, low, high);

    public bool IsConstant => Kind == AbstractKind.Constant;
    public bool IsNumber => Kind is AbstractKind.Constant or AbstractKind.Range;
    public bool IsPointer => Kind is AbstractKind.Context or AbstractKind.Stack or AbstractKind.MapValue or AbstractKind.MapHandle;

    /// <summary>The value seen by a 32-bit operation (low word, zero-extended), still exact where it can be.</summary>
    public AbstractValue Low32() => Kind switch
    {
        AbstractKind.Constant => Of((uint)Low),
        AbstractKind.Range when High <= uint.MaxValue => this,
        _ => Unknown,
    };
}
