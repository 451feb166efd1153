using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// What <c>run</c> enforces: the cBPF program the kernel runs, and the decider that answers every
/// system call that program sends to user notification. Policy front ends (raw cBPF, OCI profiles,
/// the eBPF split) produce one of these; the launcher and supervisor know nothing else about them.
/// </summary>
public sealed record RunPlan(IReadOnlyList<ClassicInstruction> KernelFilter, ISyscallDecider Decider, string Description)
{
    /// <summary>Extra seccomp filter flags, e.g. SECCOMP_FILTER_FLAG_LOG (2). TSYNC and NEW_LISTENER are added by the launcher.</summary>
    public uint ExtraFilterFlags { get; init; }

    /// <summary>Static file and TCP-port rules the kernel enforces on resolved objects (Landlock), beside the filter.</summary>
    public Policy.Access.AccessRules Access { get; init; } = Policy.Access.AccessRules.None;

    /// <summary>
    /// True when the decider may read the caller's memory (an eBPF filter calls probe_read_user or
    /// probe_read_user_str): its ALLOWs of opens are then carried out by the supervisor itself.
    /// </summary>
    public bool ReadsCallerMemory { get; init; }

    /// <summary>Names system calls in the decision log; null gives numbers only.</summary>
    public Func<uint, int, string?>? SyscallName { get; init; }

    /// <summary>True when the kernel filter can return USER_NOTIF, so a listener is needed.</summary>
    public bool NeedsListener => ClassicReturnScan.MayReturnUserNotif(KernelFilter);
}

/// <summary>Looks at a cBPF program's return instructions to learn which actions it can produce.</summary>
public static class ClassicReturnScan
{
    private const ushort RetClassMask = 0x07;
    private const ushort RetSourceMask = 0x18;

    /// <summary>RET K with USER_NOTIF, or RET A (any value), means a listener is needed.</summary>
    public static bool MayReturnUserNotif(IReadOnlyList<ClassicInstruction> program)
    {
        foreach (var instruction in program)
        {
            if ((instruction.Code & RetClassMask) != ClassicInstruction.Ret) continue;
            if ((instruction.Code & RetSourceMask) == ClassicInstruction.A_) return true;
            if (new SeccompAction(instruction.K).ActionBits == SeccompAction.UserNotif) return true;
        }
        return false;
    }
}
