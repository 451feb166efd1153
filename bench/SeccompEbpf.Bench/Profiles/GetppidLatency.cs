using System.Runtime.InteropServices;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Bench.Profiles;

/// <summary>
/// Times getppid(2) through a raw syscall on a dedicated thread. A filter installed without TSYNC
/// binds only the calling thread, so each filter gets a fresh thread and the rest of the process
/// (and the next measurement) stays unfiltered.
/// </summary>
public static class GetppidLatency
{
    public readonly record struct Outcome(Measurement.Result Result, string? Error);

    /// <summary>getppid's number on this machine's native ABI, or -1 when unknown here.</summary>
    public static int Number => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 110,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 173,
        _ => -1,
    };

    public static Outcome Measure(ClassicInstruction[]? filter, TimeSpan roundTime, int rounds)
    {
        long nr = Number;
        if (nr < 0) return new(default, $"getppid's number is unknown on {RuntimeInformation.ProcessArchitecture}");
        Outcome outcome = default;
        var thread = new Thread(() => outcome = OnThisThread(nr, filter, roundTime, rounds)) { IsBackground = true };
        thread.Start();
        thread.Join();
        return outcome;
    }

    private static Outcome OnThisThread(long nr, ClassicInstruction[]? filter, TimeSpan roundTime, int rounds)
    {
        if (filter is not null)
        {
            int errno = SeccompThreadFilter.SetNoNewPrivs();
            if (errno == 0) errno = SeccompThreadFilter.Install(filter);
            if (errno != 0) return new(default, $"installing the filter failed with errno {errno}");
        }
        var (check, checkErrno) = SeccompThreadFilter.Invoke(nr, 0, 0, 0, 0, 0, 0);
        if (check <= 0) return new(default, $"getppid returned {check} (errno {checkErrno}) under this filter");
        return new(Measurement.PerCall(() => SeccompThreadFilter.Invoke(nr, 0, 0, 0, 0, 0, 0), roundTime, rounds), null);
    }
}
