using System.Runtime.InteropServices;

namespace SeccompEbpf.Bench;

/// <summary>
/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in ns. Our engines are timed with it
/// because the kernel's BPF_PROG_TEST_RUN duration also leaves out time the task spent preempted
/// (its timer stops around cond_resched); on a shared, loaded machine wall-clock time would charge
/// other processes' time to our engines only.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    public static long NowNs()
    {
        ClockGetTime(ClockThreadCpuTime, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
