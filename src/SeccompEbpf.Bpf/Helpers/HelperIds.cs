namespace SeccompEbpf.Bpf.Helpers;

/// <summary>Helper ids as in the kernel's <c>enum bpf_func_id</c> (include/uapi/linux/bpf.h), so programs compiled for Linux call the right helper.</summary>
public static class HelperIds
{
    public const int MapLookupElem = 1;
    public const int MapUpdateElem = 2;
    public const int MapDeleteElem = 3;
    public const int KtimeGetNs = 5;
    public const int TracePrintk = 6;
    public const int GetPrandomU32 = 7;
    public const int GetSmpProcessorId = 8;
    public const int TailCall = 12;
    public const int GetCurrentPidTgid = 14;
    public const int GetCurrentUidGid = 15;
    public const int GetCurrentComm = 16;
    public const int GetCurrentTask = 35;
    public const int MapPushElem = 87;
    public const int MapPopElem = 88;
    public const int MapPeekElem = 89;
    public const int ProbeReadUser = 112;
    public const int ProbeReadKernel = 113;
    public const int ProbeReadUserStr = 114;
    public const int ProbeReadKernelStr = 115;
    public const int KtimeGetBootNs = 125;
    public const int RingbufOutput = 130;
    public const int RingbufReserve = 131;
    public const int RingbufSubmit = 132;
    public const int RingbufDiscard = 133;
    public const int RingbufQuery = 134;
    public const int TaskStorageGet = 156;
    public const int TaskStorageDelete = 157;
    public const int ForEachMapElem = 164;
    public const int Loop = 181;
}
