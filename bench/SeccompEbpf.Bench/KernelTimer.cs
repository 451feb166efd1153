using System.Diagnostics;

namespace SeccompEbpf.Bench;

/// <summary>Loads a benchmark program into the kernel as a socket filter and times it with BPF_PROG_TEST_RUN.</summary>
internal sealed class KernelTimer : IDisposable
{
    private readonly List<int> _fds = new();

    public string? Unavailable { get; private set; }

    public KernelTimer()
    {
        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root")
            Unavailable = "not root: BPF_PROG_LOAD/BPF_PROG_TEST_RUN need root (or CAP_BPF + CAP_NET_ADMIN)";
        else if (File.Exists("/proc/sys/net/core/bpf_jit_enable") && File.ReadAllText("/proc/sys/net/core/bpf_jit_enable").Trim() == "0")
            Unavailable = "the kernel's BPF JIT is disabled (/proc/sys/net/core/bpf_jit_enable = 0)";
    }

    public sealed record Loaded(int Fd, TimeSpan LoadTime);

    /// <summary>Creates the program's maps (with the hash key present), patches map fds into its lddw, loads it.</summary>
    public (Loaded? Program, string? Error) Load(BenchProgram program)
    {
        var fds = new List<int>();
        foreach (var spec in program.Maps)
        {
            uint type = spec.Type == Bpf.Maps.MapType.Hash ? KernelBpf.MapTypeHash : KernelBpf.MapTypeArray;
            var (fd, error) = KernelBpf.CreateMap(type, spec.KeySize, spec.ValueSize, spec.MaxEntries);
            if (error is not null) return (null, error);
            _fds.Add(fd);
            fds.Add(fd);
            if (type == KernelBpf.MapTypeHash)
                if (KernelBpf.UpdateElement(fd, BitConverter.GetBytes(BenchPrograms.CounterKey), new byte[spec.ValueSize]) is { } updateError)
                    return (null, updateError);
        }
        var code = (Bpf.Isa.Instruction[])program.Code.Clone();
        for (int i = 0; i < code.Length; i++)
            if (code[i].IsLoadImm64 && code[i].Src == Bpf.Isa.LoadImmSource.MapFd)
                code[i] = code[i] with { Imm = fds[code[i].Imm] };
        long start = Stopwatch.GetTimestamp();
        var (progFd, loadError) = KernelBpf.LoadSocketFilter(code, program.Name.Replace('-', '_'));
        var loadTime = Stopwatch.GetElapsedTime(start);
        if (loadError is not null) return (null, loadError);
        _fds.Add(progFd);
        return (new Loaded(progFd, loadTime), null);
    }

    /// <summary>
    /// Best (lowest) of <paramref name="rounds"/> measurements, in ns per run: the kernel's own
    /// average (integer ns, measured inside its test_run loop) and the wall-clock time of the whole
    /// syscall divided by the repeat count (fractional; the per-call setup is amortised over
    /// <paramref name="repeat"/> runs).
    /// </summary>
    public (double KernelNs, double WallNs, uint R0, string? Error) Measure(Loaded program, byte[] context, uint repeat, int rounds)
    {
        var packet = new byte[64]; // at least an Ethernet header
        double bestKernel = double.MaxValue, bestWall = double.MaxValue;
        uint r0 = 0;
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            // Only cb[] and the zero fields before it: test_run refuses non-zero fields it does not support.
            var (ns, retval, error) = KernelBpf.TestRun(program.Fd, packet, context.AsSpan(0, 68), repeat);
            double wall = Stopwatch.GetElapsedTime(start).TotalNanoseconds / repeat;
            if (error is not null) return (0, 0, 0, error);
            bestKernel = Math.Min(bestKernel, ns);
            bestWall = Math.Min(bestWall, wall);
            r0 = retval;
        }
        return (bestKernel, bestWall, r0, null);
    }

    public void Dispose()
    {
        foreach (var fd in _fds) KernelBpf.Close(fd);
    }
}
