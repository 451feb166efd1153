using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Model.Helpers;
using static SeccompEbpf.ProgramType.SeccompHelperGroup;

namespace SeccompEbpf.ProgramType;

/// <summary>
/// Every helper a seccomp program may be given, one row each: the verifier's prototype and the engines'
/// implementation both come from the row, and the load-time choice (<see cref="SeccompHelperSet"/>)
/// reads its group. Adding a helper is one row here (and its implementation, with its prototype, next to
/// the others of its kind).
/// </summary>
public static class SeccompHelperCatalog
{
    public static readonly SeccompHelper MapLookupElem = new(Base, MapHelpers.Lookup);
    public static readonly SeccompHelper MapUpdateElem = new(Base, MapHelpers.Update);
    public static readonly SeccompHelper MapDeleteElem = new(Base, MapHelpers.Delete);
    public static readonly SeccompHelper MapPushElem = new(Base, MapHelpers.Push);
    public static readonly SeccompHelper MapPopElem = new(Base, MapHelpers.Pop);
    public static readonly SeccompHelper MapPeekElem = new(Base, MapHelpers.Peek);
    public static readonly SeccompHelper GetPrandomU32 = new(Base, RuntimeHelpers.GetPrandomU32);
    public static readonly SeccompHelper GetSmpProcessorId = new(Base, RuntimeHelpers.GetSmpProcessorId);
    public static readonly SeccompHelper KtimeGetNs = new(Base, RuntimeHelpers.KtimeGetNs);
    public static readonly SeccompHelper KtimeGetBootNs = new(Base, RuntimeHelpers.KtimeGetBootNs);
    public static readonly SeccompHelper TailCall = new(Base, RuntimeHelpers.TailCall);
    public static readonly SeccompHelper RingbufOutput = new(Base, RingBufferHelpers.Output);
    public static readonly SeccompHelper RingbufReserve = new(Base, RingBufferHelpers.Reserve);
    public static readonly SeccompHelper RingbufSubmit = new(Base, RingBufferHelpers.Submit);
    public static readonly SeccompHelper RingbufDiscard = new(Base, RingBufferHelpers.Discard);
    public static readonly SeccompHelper RingbufQuery = new(Base, RingBufferHelpers.Query);
    public static readonly SeccompHelper ForEachMapElem = new(Base, CallbackHelpers.ForEachMapElem);

    public static readonly SeccompHelper GetCurrentUidGid = new(Seccomp, SeccompHelpers.GetCurrentUidGid);
    public static readonly SeccompHelper GetCurrentPidTgid = new(Seccomp, loader => SeccompHelpers.GetCurrentPidTgid(loader.PidNamespace));
    public static readonly SeccompHelper ProbeReadUser = new(Seccomp, loader => SeccompHelpers.ProbeReadUser(requireDumpable: !loader.CapSysPtrace));
    public static readonly SeccompHelper ProbeReadUserStr = new(Seccomp, loader => SeccompHelpers.ProbeReadUserStr(requireDumpable: !loader.CapSysPtrace));
    public static readonly SeccompHelper TaskStorageGet = new(Seccomp, ProcessStorageHelpers.Get);
    public static readonly SeccompHelper TaskStorageDelete = new(Seccomp, ProcessStorageHelpers.Delete);

    public static readonly SeccompHelper TracePrintk = new(Tracing, TraceHelpers.TracePrintk);
    public static readonly SeccompHelper GetCurrentTask = new(Tracing, TracingHelpers.GetCurrentTask);
    public static readonly SeccompHelper GetCurrentComm = new(Tracing, TracingHelpers.GetCurrentComm);
    public static readonly SeccompHelper ProbeReadKernel = new(Tracing, TracingHelpers.ProbeReadKernel);
    public static readonly SeccompHelper ProbeReadKernelStr = new(Tracing, TracingHelpers.ProbeReadKernelStr);

    public static readonly IReadOnlyList<SeccompHelper> All =
    [
        MapLookupElem, MapUpdateElem, MapDeleteElem, MapPushElem, MapPopElem, MapPeekElem,
        GetPrandomU32, GetSmpProcessorId, KtimeGetNs, KtimeGetBootNs, TailCall,
        RingbufOutput, RingbufReserve, RingbufSubmit, RingbufDiscard, RingbufQuery, ForEachMapElem,
        GetCurrentUidGid, GetCurrentPidTgid, ProbeReadUser, ProbeReadUserStr, TaskStorageGet, TaskStorageDelete,
        TracePrintk, GetCurrentTask, GetCurrentComm, ProbeReadKernel, ProbeReadKernelStr,
    ];

    /// <summary>"probe_read_user" for 112; "#N" for an id no seccomp program can be given.</summary>
    public static string NameOf(int id) => All.FirstOrDefault(h => h.Id == id)?.Name ?? $"#{id}";
}
