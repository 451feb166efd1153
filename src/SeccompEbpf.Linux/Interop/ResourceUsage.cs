using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Interop;

/// <summary>CPU time of reaped child processes (getrusage RUSAGE_CHILDREN), for benchmarks that must not trust wall time on a busy machine.</summary>
public static unsafe partial class ResourceUsage
{
    private const int RusageChildren = -1;

    /// <summary>User + system CPU time of every child (and their reaped descendants) this process has waited for.</summary>
    public static TimeSpan ChildrenCpuTime()
    {
        var usage = stackalloc long[18]; // struct rusage: two timevals, then 14 longs
        if (GetRusage(RusageChildren, usage) != 0) return TimeSpan.Zero;
        var microseconds = usage[0] * 1_000_000 + usage[1] + usage[2] * 1_000_000 + usage[3];
        return TimeSpan.FromMicroseconds(microseconds);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, long* usage);
}
