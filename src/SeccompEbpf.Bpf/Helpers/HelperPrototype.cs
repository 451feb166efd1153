namespace SeccompEbpf.Bpf.Helpers;

/// <summary>Argument kinds of a helper, after the kernel's <c>enum bpf_arg_type</c>; the verifier checks them.</summary>
public enum HelperArg
{
    /// <summary>Unused argument register.</summary>
    None,
    /// <summary>Any scalar or pointer value.</summary>
    Anything,
    /// <summary>A scalar (no pointer allowed).</summary>
    Scalar,
    ConstMapPtr,
    /// <summary>Pointer to key_size readable bytes of the map in the ConstMapPtr argument.</summary>
    PtrToMapKey,
    /// <summary>Pointer to value_size readable bytes of the map in the ConstMapPtr argument.</summary>
    PtrToMapValue,
    /// <summary>Pointer to readable memory whose size is the next argument.</summary>
    PtrToMem,
    /// <summary>Pointer to writable (possibly uninitialised) memory whose size is the next argument.</summary>
    PtrToUninitMem,
    /// <summary>Size of the previous memory argument, a known constant bound &gt; 0.</summary>
    ConstSize,
    /// <summary>Size of the previous memory argument, may be 0.</summary>
    ConstSizeOrZero,
    PtrToCtx,
    /// <summary>A task pointer, or NULL meaning "the current process" (seccomp task storage rule).</summary>
    PtrToTaskOrNull,
    /// <summary>A callback function (pseudo-func lddw).</summary>
    PtrToFunc,
    /// <summary>Pointer to stack memory or NULL (callback context).</summary>
    PtrToStackOrNull,
    /// <summary>Memory handed out by a helper (ring buffer reservation).</summary>
    PtrToAllocMem,
    /// <summary>Pointer to value_size writable bytes, which the helper fills (map_pop_elem, map_peek_elem).</summary>
    PtrToUninitMapValue,
    /// <summary>Pointer to value_size readable bytes, or NULL (task_storage_get's initial value).</summary>
    PtrToMapValueOrNull,
    /// <summary>Size of memory a helper allocates (ringbuf_reserve), a known constant; 0 gives NULL.</summary>
    ConstAllocSizeOrZero,
}

/// <summary>Return kinds, after the kernel's <c>enum bpf_return_type</c>.</summary>
public enum HelperReturn
{
    Integer,
    Void,
    PtrToMapValueOrNull,
    /// <summary>Memory of a size given by a constant argument (ring buffer reserve), or NULL.</summary>
    PtrToAllocMemOrNull,
}

/// <summary>A helper's signature: id as in the kernel's <c>enum bpf_func_id</c>, name, argument and return kinds.</summary>
public sealed record HelperPrototype(int Id, string Name, HelperReturn Returns, params HelperArg[] Args)
{
    /// <summary>May change R0..R5 only, as every helper; true if the helper may also not return (tail_call).</summary>
    public bool MayNotReturn { get; init; }

    public override string ToString() => $"{Name}#{Id}({string.Join(", ", Args)}) -> {Returns}";
}
