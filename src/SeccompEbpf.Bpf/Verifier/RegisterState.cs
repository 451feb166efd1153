using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// One register's abstract value. For a scalar, <see cref="Value"/> is the number. For a pointer,
/// <see cref="Off"/> is the fixed offset and <see cref="Value"/> the variable part added to it.
/// <see cref="Id"/> links copies: nullable pointers from one lookup (a null check marks them all)
/// and scalars copied from one another (a branch narrows them all). <see cref="Frame"/> is the
/// call frame a stack pointer points into; <see cref="Size"/> the size of helper memory;
/// <see cref="RefId"/> the reference a helper-memory pointer must release.
/// </summary>
public readonly record struct RegisterState(
    RegisterType Type,
    ScalarValue Value,
    int Off = 0,
    int Id = 0,
    MapSpec? Map = null,
    int Frame = 0,
    int Size = 0,
    int RefId = 0)
{
    public static readonly RegisterState NotInit = new(RegisterType.NotInit, ScalarValue.Unknown);
    public static readonly RegisterState UnknownScalar = new(RegisterType.Scalar, ScalarValue.Unknown);

    public static RegisterState Scalar(ScalarValue v) => new(RegisterType.Scalar, v);
    public static RegisterState ConstScalar(ulong v) => new(RegisterType.Scalar, ScalarValue.Const(v));
    public static RegisterState Pointer(RegisterType type, int off = 0) => new(type, ScalarValue.Const(0), off);

    public bool IsScalar => Type == RegisterType.Scalar;
    public bool IsPointer => Type.IsPointer();
    public bool IsInit => Type != RegisterType.NotInit;
    public bool IsConst => IsScalar && Value.IsConst;

    /// <summary>True when a pointer's offset is a single known number.</summary>
    public bool HasFixedOffset => Value.IsConst && Value.ConstValue == 0;

    public override string ToString()
    {
        switch (Type)
        {
            case RegisterType.NotInit: return "?";
            case RegisterType.Scalar:
                return Value.IsConst ? ((long)Value.ConstValue).ToString()
                    : "scalar" + (Id != 0 ? $"(id={Id})" : "") + Value;
            default:
                var parts = new List<string>();
                if (Id != 0) parts.Add($"id={Id}");
                if (Type == RegisterType.PtrToStack) return $"fp{(Frame != 0 ? $"[frame{Frame}]" : "")}{Off}" + (HasFixedOffset ? "" : $"+var{Value}");
                if (Off != 0) parts.Add($"off={Off}");
                if (Map is not null) parts.Add($"map={Map.Name},ks={Map.KeySize},vs={Map.ValueSize}");
                if (Size != 0) parts.Add($"size={Size}");
                if (RefId != 0) parts.Add($"ref={RefId}");
                if (!HasFixedOffset) parts.Add($"var{Value}");
                return Type.ShortName() + (parts.Count > 0 ? "(" + string.Join(",", parts) + ")" : "");
        }
    }
}
