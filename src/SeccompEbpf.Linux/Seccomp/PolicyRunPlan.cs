using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Helpers;
using SeccompEbpf.Policy.Default;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>The policy files a user named for <c>run</c>; all empty means the built-in default policy.</summary>
public sealed record PolicySources(IReadOnlyList<string> EbpfFilters, string? Profile, IReadOnlyList<string> ClassicFilters)
{
    /// <summary>Map entries to store before the command starts.</summary>
    public IReadOnlyList<MapSeed> MapSeeds { get; init; } = [];

    /// <summary>Skip the split: the kernel filter notifies every call (the notify-everything design, for comparison).</summary>
    public bool NotifyEverything { get; init; }

    /// <summary>
    /// A memory-dependent ALLOW of a call the supervisor cannot carry out itself is continued (racy)
    /// instead of failing with EPERM; see <see cref="ChainDecider.AllowRacyMemoryChecks"/>.
    /// </summary>
    public bool AllowRacyMemoryChecks { get; init; }

    public bool IsDefault => EbpfFilters.Count == 0 && Profile is null && ClassicFilters.Count == 0;
}

/// <summary>
/// Turns policy files into what the launcher enforces: eBPF objects are loaded as seccomp programs with
/// this process's privileges (root = privileged, else unprivileged: helper set and verifier limits
/// follow), verified, split per arch and syscall by <see cref="SplitPlanner"/>; the kernel filter gets
/// the constant verdicts and USER_NOTIF for the rest, which <see cref="ChainDecider"/> answers, running the
/// eBPF filters on the product's default engine (the JIT) unless told otherwise.
/// </summary>
public static class PolicyRunPlan
{
    public static BpfResult<(RunPlan Plan, SplitPlan Split)> Build(PolicySources sources, EngineKind engine = BpfEngines.Default)
    {
        bool root = Environment.IsPrivilegedProcess;
        var pidNamespace = ProcessTaskView.CurrentPidNamespace();
        var loader = (root ? SeccompLoaderPrivileges.Root : SeccompLoaderPrivileges.Unprivileged) with { PidNamespace = pidNamespace };
        var arches = sources.IsDefault ? DefaultPolicy.Arches : NativeArches();

        var stack = PolicyStackLoader.Load(sources.EbpfFilters, sources.Profile, sources.ClassicFilters, arches, SeccompHelpers.For(loader));
        if (!stack.IsOk) return stack.Error!;
        var privileges = root ? LoaderPrivileges.Privileged : LoaderPrivileges.Unprivileged;
        foreach (var filter in stack.Value.Filters.OfType<EbpfStackFilter>())
        {
            var maps = filter.Program.Maps.Select((m, i) => (m, i)).ToDictionary(x => x.i, x => x.m.Spec);
            var load = SeccompProgramLoader.Load(filter.Program.Instructions, privileges, maps);
            if (!load.Loaded)
                return new BpfError($"{filter.Name}: {load.RefusedBecause}{(load.Verification?.Error is { } e ? ": " + e : "")}");
        }

        foreach (var seed in sources.MapSeeds)
            if (seed.ApplyTo(stack.Value) is { } seedError) return seedError;

        var split = SplitPlanner.Plan(stack.Value, arches);
        var kernel = sources.NotifyEverything
            ? new[] { ClassicInstruction.Stmt(ClassicInstruction.Ret | ClassicInstruction.K_, SeccompAction.UserNotif) }
            : KernelFilterBuilder.Build(split);
        if (!kernel.IsOk) return kernel.Error!;
        var evaluator = ChainEvaluator.Create(stack.Value, engine, loadedWith: privileges);
        if (!evaluator.IsOk) return evaluator.Error!;
        var description = string.Join(" + ", stack.Value.Filters.Select(f => f.Name));
        var processStorage = stack.Value.Filters.OfType<EbpfStackFilter>().SelectMany(f => f.Program.Maps).OfType<ProcessStorageMap>().ToList();
        var decider = new ChainDecider(evaluator.Value, pidNamespace, processStorage) { AllowRacyMemoryChecks = sources.AllowRacyMemoryChecks };
        var plan = new RunPlan(kernel.Value, decider, description)
        {
            SyscallName = (arch, nr) => SyscallName(split, arch, nr),
            // Once a call is received, only a fatal signal ends its wait: a call the supervisor carried
            // out (an emulated open may have created a file) is then never restarted and repeated.
            ExtraFilterFlags = ClassicReturnScan.MayReturnUserNotif(kernel.Value) ? SeccompFeatures.WaitKillableRecvFlag : 0,
        };
        return (plan, split);
    }

    /// <summary>The ABIs this machine's programs use (x86_64 also runs x32 and i386 code; filters see their audit arch).</summary>
    public static IReadOnlyList<SyscallArch> NativeArches() => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => [SyscallArch.AArch64],
        System.Runtime.InteropServices.Architecture.RiscV64 => [SyscallArch.RiscV64],
        _ => [SyscallArch.X86_64],
    };

    private static string? SyscallName(SplitPlan plan, uint auditArch, int nr)
    {
        foreach (var arch in plan.Arches)
            if (arch.AuditArch == auditArch && nr >= 0) return arch.SyscallName((uint)nr);
        foreach (var arch in SyscallArchInfo.All)
            if (arch.AuditArch() == auditArch && nr >= 0 && SyscallTable.For(arch).NameOf(nr) is string name) return name;
        return null;
    }
}
