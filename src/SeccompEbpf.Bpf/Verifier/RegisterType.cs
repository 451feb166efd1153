namespace SeccompEbpf.Bpf.Verifier;

/// <summary>What a register holds, as far as the verifier knows.</summary>
public enum RegisterType
{
    /// <summary>Never written on this path: reading it is an error.</summary>
    NotInit,
    Scalar,
    /// <summary>The program's context (R1 at entry).</summary>
    PtrToCtx,
    /// <summary>A frame's stack: R10 plus an offset.</summary>
    PtrToStack,
    /// <summary>A map itself (lddw with a map reference); only helpers may use it.</summary>
    ConstPtrToMap,
    PtrToMapValue,
    /// <summary>A map lookup result before its null check.</summary>
    PtrToMapValueOrNull,
    /// <summary>Memory a helper handed out (ring buffer reservation).</summary>
    PtrToMem,
    PtrToMemOrNull,
}

public static class RegisterTypeNames
{
    /// <summary>The kernel's short names, used in the register state text.</summary>
    public static string ShortName(this RegisterType t) => t switch
    {
        RegisterType.NotInit => "?",
        RegisterType.Scalar => "scalar",
        RegisterType.PtrToCtx => "ctx",
        RegisterType.PtrToStack => "fp",
        RegisterType.ConstPtrToMap => "map_ptr",
        RegisterType.PtrToMapValue => "map_value",
        RegisterType.PtrToMapValueOrNull => "map_value_or_null",
        RegisterType.PtrToMem => "mem",
        RegisterType.PtrToMemOrNull => "mem_or_null",
        _ => t.ToString(),
    };

    public static bool IsPointer(this RegisterType t) => t is not (RegisterType.NotInit or RegisterType.Scalar);
    public static bool IsNullable(this RegisterType t) => t is RegisterType.PtrToMapValueOrNull or RegisterType.PtrToMemOrNull;
}
