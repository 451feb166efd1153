using System.Diagnostics;
using SeccompEbpf.Linux.Kernel;

namespace SeccompEbpf.Bench;

/// <summary>Loads a benchmark program into the kernel as a socket filter and times it with BPF_PROG_TEST_RUN.</summary>
internal sealed class KernelTimer : IDisposable
{
    private readonly List<BpfFd> _fds = new();

    public string? Unavailable { get; private set; }

    public KernelTimer()
    {
        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root")
            Unavailable = "not root: BPF_PROG_LOAD/BPF_PROG_TEST_RUN need root (or CAP_BPF + CAP_NET_ADMIN)";
        else if (File.Exists("/proc/sys/net/core/bpf_jit_enable") && File.ReadAllText("/proc/sys/net/core/bpf_jit_enable").Trim() == "0")
            Unavailable = "the kernel's BPF JIT is disabled (/proc/sys/net/core/bpf_jit_enable = 0)";
    }

    public sealed record Loaded(BpfFd Fd, TimeSpan LoadTime);

    /// <summary>Creates the program's maps (with the hash key present), patches map fds into its lddw, loads it.</summary>
    public (Loaded? Program, string? Error) Load(BenchProgram program)
    {
        var fds = new List<int>();
        foreach (var spec in program.Maps)
        {
            var (fd, errno) = KernelBpf.TryCreateMap(spec);
            if (fd is null) return (null, $"BPF_MAP_CREATE failed: errno {errno}");
            _fds.Add(fd);
            fds.Add(fd.Fd);
            if (spec.Type == Bpf.Maps.MapType.Hash
                && KernelBpf.UpdateElement(fd, BitConverter.GetBytes(BenchPrograms.CounterKey), new byte[spec.ValueSize]) is var updateErrno and not 0)
                return (null, $"BPF_MAP_UPDATE_ELEM failed: errno {updateErrno}");
        }
        var code = (Bpf.Isa.Instruction[])program.Code.Clone();
        for (int i = 0; i < code.Length; i++)
            if (code[i].IsLoadImm64 && code[i].Src == Bpf.Isa.LoadImmSource.MapFd)
                code[i] = code[i] with { Imm = fds[code[i].Imm] };
        long start = Stopwatch.GetTimestamp();
        var load = KernelBpf.LoadProgram(KernelProgType.SocketFilter, code, logLevel: 1, name: program.Name.Replace('-', '_'));
        var loadTime = Stopwatch.GetElapsedTime(start);
        if (load.Program is not { } progFd)
            return (null, $"BPF_PROG_LOAD failed: errno {load.Errno}\n{load.Log[^Math.Min(load.Log.Length, 2000)..]}");
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
            var (run, errno) = KernelBpf.TestRun(program.Fd, packet, repeat, context.AsSpan(0, 68));
            double wall = Stopwatch.GetElapsedTime(start).TotalNanoseconds / repeat;
            if (run is null) return (0, 0, 0, $"BPF_PROG_TEST_RUN failed: errno {errno}");
            bestKernel = Math.Min(bestKernel, run.AverageNanoseconds);
            bestWall = Math.Min(bestWall, wall);
            r0 = run.ReturnValue;
        }
        return (bestKernel, bestWall, r0, null);
    }

    public void Dispose()
    {
        foreach (var fd in _fds) fd.Dispose();
    }
}
