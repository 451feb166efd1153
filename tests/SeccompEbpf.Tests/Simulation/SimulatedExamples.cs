using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Tests.Elf;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Simulation;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Simulation;

/// <summary>Compiles an example filter with clang-19 and loads it through the seccomp program loader for the simulator.</summary>
internal static class SimulatedExamples
{
    public static readonly TheoryData<string> Cpus = new("v1", "v2", "v3", "v4");

    public const int EPERM = Bpf.LinuxErrno.EPERM, EACCES = Bpf.LinuxErrno.EACCES;

    /// <summary>An example loaded as `simulate --filter` loads it, with its live maps (fill them before or after installing).</summary>
    public sealed record ExampleLoad(SimulationFilter Filter, LoadedPolicy Policy)
    {
        public BpfMap? Map(string name) => Policy.EbpfFilters.SelectMany(f => f.Program.Maps).FirstOrDefault(m => m.Name == name);
    }

    public static ExampleLoad Load(string example, string cpu, LoaderPrivileges? privileges = null)
    {
        var obj = ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(example), cpu: cpu);
        var policy = LoadPolicy(new EbpfObjectSource(obj), privileges ?? LoaderPrivileges.Unprivileged);
        return new ExampleLoad(Installable(policy), policy);
    }

    /// <summary>A profile as `simulate --profile` installs it on an x86_64 machine.</summary>
    public static SimulationFilter Profile(string path) => Installable(LoadPolicy(ProfileSource.FromFile(path), LoaderPrivileges.Unprivileged));

    private static LoadedPolicy LoadPolicy(IPolicySource source, LoaderPrivileges loader)
    {
        var policy = PolicyLoader.Load(new PolicyOptions { Sources = [source], Loader = loader, Arches = NativeArch.AbisOf(SyscallArch.X86_64) });
        Assert.True(policy.IsOk, policy.Error?.ToString());
        return policy.Value;
    }

    private static SimulationFilter Installable(LoadedPolicy policy)
    {
        var filters = SimulationFilters.From(policy);
        Assert.True(filters.IsOk, filters.Error?.ToString());
        return Assert.Single(filters.Value);
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
