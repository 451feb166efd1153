using SeccompEbpf.Bpf.Tests.Elf;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Simulation;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Simulation;

/// <summary>Compiles an example filter with clang-19 and loads it through the seccomp program loader for the simulator.</summary>
internal static class SimulatedExamples
{
    public static readonly TheoryData<string> Cpus = new("v1", "v2", "v3", "v4");

    public const int EPERM = Bpf.LinuxErrno.EPERM, EACCES = Bpf.LinuxErrno.EACCES;

    public static FilterSources.EbpfLoad Load(string example, string cpu, LoaderPrivileges? privileges = null)
    {
        var obj = ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(example), cpu: cpu);
        var load = FilterSources.Ebpf(obj, privileges ?? LoaderPrivileges.Unprivileged);
        Assert.True(load.IsOk, load.Error?.ToString());
        return load.Value;
    }

    public static SeccompThread Prepare(params SimulationFilter[] filters)
    {
        var root = Simulator.Prepare(filters);
        Assert.True(root.IsOk, root.Error?.ToString());
        return root.Value;
    }

    public static SeccompAction Call(SeccompThread thread, string name, params ulong[] args)
    {
        var nr = Simulator.ResolveSyscall(name, SyscallArch.X86_64);
        Assert.True(nr.IsOk, nr.Error?.ToString());
        var arguments = new SeccompArgs();
        for (int i = 0; i < args.Length; i++) arguments[i] = args[i];
        return Simulator.EvaluateOne(thread, nr.Value, SyscallArch.X86_64, arguments).Action;
    }

    public static TraceReplayReport Replay(string trace, SeccompThread root)
    {
        var parsed = StraceParser.Parse(trace);
        Assert.True(parsed.IsOk, parsed.Error?.ToString());
        var report = Simulator.ReplayTrace(parsed.Value, root, SyscallArch.X86_64);
        Assert.True(report.IsOk, report.Error?.ToString());
        return report.Value;
    }

    /// <summary>"ALLOW" or "ERRNO(1)" per call, in trace order.</summary>
    public static string[] Actions(TraceReplayReport report) => [.. report.Calls.Select(c => c.Verdict.Action.ToString())];

    public static string Allow => SeccompAction.AllowAction.ToString();
    public static string Errno(int errno) => new SeccompAction(SeccompAction.Errno | (uint)errno).ToString();
}
