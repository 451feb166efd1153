using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>What <c>run</c> asks beyond the policy itself.</summary>
public sealed record PolicyRunOptions(PolicyOptions Policy)
{
    /// <summary>Skip the split: the kernel filter notifies every call (the notify-everything design, for comparison).</summary>
    public bool NotifyEverything { get; init; }

    /// <summary>
    /// A memory-dependent ALLOW of a call the supervisor cannot carry out itself is continued (racy)
    /// instead of failing with EPERM; see <see cref="ChainDecider.AllowRacyMemoryChecks"/>.
    /// </summary>
    public bool AllowRacyMemoryChecks { get; init; }
}

/// <summary>
/// A loaded policy as the launcher enforces it. <see cref="PolicyLoader"/> loads it with this
/// process as the loader (its privileges and pid namespace), verifying each eBPF filter once; the
/// kernel filter gets the split's constant verdicts and USER_NOTIF for the rest, which
/// <see cref="ChainDecider"/> answers, running the eBPF filters from that verification on the
/// product's default engine (the JIT) unless told otherwise.
/// </summary>
public static class PolicyRunPlan
{
    public static BpfResult<(RunPlan Plan, SplitPlan Split)> Build(PolicyRunOptions options, EngineKind engine = BpfEngines.Default)
    {
        var pidNamespace = ProcessTaskView.CurrentPidNamespace();
        var policyOptions = options.Policy with { Loader = options.Policy.Loader with { PidNamespace = pidNamespace } };
        var loaded = PolicyLoader.Load(policyOptions);
        if (!loaded.IsOk) return loaded.Error!;
        var policy = loaded.Value;

        var split = policy.Split;
        var kernel = options.NotifyEverything
            ? new[] { ClassicInstruction.Stmt(ClassicInstruction.Ret | ClassicInstruction.K_, SeccompAction.UserNotif) }
            : KernelFilterBuilder.Build(split);
        if (!kernel.IsOk) return kernel.Error!;
        var evaluator = policy.Evaluator(engine);
        if (!evaluator.IsOk) return evaluator.Error!;
        var processStorage = policy.EbpfFilters.SelectMany(f => f.Program.Maps).OfType<ProcessStorageMap>().ToList();
        var decider = new ChainDecider(evaluator.Value, pidNamespace, processStorage) { AllowRacyMemoryChecks = options.AllowRacyMemoryChecks };
        var plan = new RunPlan(kernel.Value, decider, policy.Description)
        {
            SyscallName = (arch, nr) => SyscallName(split, arch, nr),
            ReadsCallerMemory = policy.EbpfFilters.Any(f => f.Program.Instructions.Any(i => i.IsHelperCall && i.Imm is HelperIds.ProbeReadUser or HelperIds.ProbeReadUserStr)),
        };
        return (plan, split);
    }

    private static string? SyscallName(SplitPlan plan, uint auditArch, int nr)
    {
        foreach (var arch in plan.Arches)
            if (arch.AuditArch == auditArch && nr >= 0) return arch.SyscallName((uint)nr);
        foreach (var arch in SyscallArchInfo.All)
            if (arch.AuditArch() == auditArch && nr >= 0 && SyscallTable.For(arch).NameOf(nr) is string name) return name;
        return null;
    }
}
