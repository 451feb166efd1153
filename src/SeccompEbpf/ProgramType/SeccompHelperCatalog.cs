using SeccompEbpf.Bpf.Helpers;
using static SeccompEbpf.Bpf.Helpers.HelperArg;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// Prototypes of the helpers a seccomp program may be given, with the kernel's ids (enum
/// bpf_func_id). Grouped the way the load-time choice uses them (SEED §2).
/// </summary>
public static class SeccompHelperCatalog
{
    public static readonly HelperPrototype MapLookupElem = new(1, "map_lookup_elem", HelperReturn.PtrToMapValueOrNull, ConstMapPtr, PtrToMapKey);
    public static readonly HelperPrototype MapUpdateElem = new(2, "map_update_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapKey, PtrToMapValue, Scalar);
    public static readonly HelperPrototype MapDeleteElem = new(3, "map_delete_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapKey);
    public static readonly HelperPrototype KtimeGetNs = new(5, "ktime_get_ns", HelperReturn.Integer);
    public static readonly HelperPrototype GetPrandomU32 = new(7, "get_prandom_u32", HelperReturn.Integer);
    public static readonly HelperPrototype GetSmpProcessorId = new(8, "get_smp_processor_id", HelperReturn.Integer);
    public static readonly HelperPrototype TailCall = new(12, "tail_call", HelperReturn.Integer, PtrToCtx, ConstMapPtr, Scalar) { MayNotReturn = true };
    public static readonly HelperPrototype GetCurrentPidTgid = new(14, "get_current_pid_tgid", HelperReturn.Integer);
    public static readonly HelperPrototype GetCurrentUidGid = new(15, "get_current_uid_gid", HelperReturn.Integer);
    public static readonly HelperPrototype MapPushElem = new(87, "map_push_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapValue, Scalar);
    public static readonly HelperPrototype MapPopElem = new(88, "map_pop_elem", HelperReturn.Integer, ConstMapPtr, PtrToUninitMapValue);
    public static readonly HelperPrototype MapPeekElem = new(89, "map_peek_elem", HelperReturn.Integer, ConstMapPtr, PtrToUninitMapValue);
    public static readonly HelperPrototype ProbeReadUser = new(112, "probe_read_user", HelperReturn.Integer, PtrToUninitMem, ConstSizeOrZero, Scalar);
    public static readonly HelperPrototype ProbeReadUserStr = new(114, "probe_read_user_str", HelperReturn.Integer, PtrToUninitMem, ConstSizeOrZero, Scalar);
    public static readonly HelperPrototype KtimeGetBootNs = new(125, "ktime_get_boot_ns", HelperReturn.Integer);
    public static readonly HelperPrototype RingbufOutput = new(130, "ringbuf_output", HelperReturn.Integer, ConstMapPtr, PtrToMem, ConstSizeOrZero, Scalar);
    public static readonly HelperPrototype RingbufReserve = new(131, "ringbuf_reserve", HelperReturn.PtrToAllocMemOrNull, ConstMapPtr, ConstAllocSizeOrZero, Scalar);
    public static readonly HelperPrototype RingbufSubmit = new(132, "ringbuf_submit", HelperReturn.Void, PtrToAllocMem, Scalar);
    public static readonly HelperPrototype RingbufDiscard = new(133, "ringbuf_discard", HelperReturn.Void, PtrToAllocMem, Scalar);
    public static readonly HelperPrototype RingbufQuery = new(134, "ringbuf_query", HelperReturn.Integer, ConstMapPtr, Scalar);
    public static readonly HelperPrototype TaskStorageGet = new(156, "task_storage_get", HelperReturn.PtrToMapValueOrNull, ConstMapPtr, PtrToTaskOrNull, PtrToMapValueOrNull, Scalar);
    public static readonly HelperPrototype TaskStorageDelete = new(157, "task_storage_delete", HelperReturn.Integer, ConstMapPtr, PtrToTaskOrNull);
    public static readonly HelperPrototype ForEachMapElem = new(164, "for_each_map_elem", HelperReturn.Integer, ConstMapPtr, PtrToFunc, PtrToStackOrNull, Scalar);

    // Tracing helpers: only for loaders with CAP_BPF and CAP_PERFMON.
    public static readonly HelperPrototype TracePrintk = new(6, "trace_printk", HelperReturn.Integer, PtrToMem, ConstSize, Scalar, Scalar, Scalar);
    public static readonly HelperPrototype GetCurrentTask = new(35, "get_current_task", HelperReturn.Integer);
    public static readonly HelperPrototype GetCurrentComm = new(16, "get_current_comm", HelperReturn.Integer, PtrToUninitMem, ConstSize);
    public static readonly HelperPrototype ProbeReadKernel = new(113, "probe_read_kernel", HelperReturn.Integer, PtrToUninitMem, ConstSizeOrZero, Scalar);
    public static readonly HelperPrototype ProbeReadKernelStr = new(115, "probe_read_kernel_str", HelperReturn.Integer, PtrToUninitMem, ConstSizeOrZero, Scalar);

    /// <summary>The base set every program type gets.</summary>
    public static readonly HelperPrototype[] Base =
    [
        MapLookupElem, MapUpdateElem, MapDeleteElem, MapPushElem, MapPopElem, MapPeekElem,
        GetPrandomU32, GetSmpProcessorId, KtimeGetNs, KtimeGetBootNs, TailCall,
        RingbufOutput, RingbufReserve, RingbufSubmit, RingbufDiscard, RingbufQuery, ForEachMapElem,
    ];

    /// <summary>The seccomp-specific helpers (ids as seen by the loader's namespaces, task storage with NULL = this process).</summary>
    public static readonly HelperPrototype[] Seccomp =
    [
        GetCurrentUidGid, GetCurrentPidTgid, ProbeReadUser, ProbeReadUserStr, TaskStorageGet, TaskStorageDelete,
    ];

    public static readonly HelperPrototype[] Tracing =
    [
        TracePrintk, GetCurrentTask, GetCurrentComm, ProbeReadKernel, ProbeReadKernelStr,
    ];
}
