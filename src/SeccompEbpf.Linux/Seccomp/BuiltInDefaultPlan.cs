using SeccompEbpf.Bpf;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Default;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>
/// The plan of the built-in default policy from the filter compiled into the binary
/// (<see cref="DefaultPolicyKernelFilter"/>): no compilation at start-up, and nothing read from a file
/// a sandboxed program could have rewritten to disarm the next sandbox.
/// </summary>
public static class BuiltInDefaultPlan
{
    /// <summary>The plan, or null where no filter is built in for this machine (compile the policy instead).</summary>
    public static RunPlan? ForThisMachine() =>
        DefaultPolicyKernelFilter.ForThisMachine() is { } filter
            ? new RunPlan(filter, NeverNotifiedDecider.Instance, DefaultPolicy.Name)
            : null;

    /// <summary>The decider of a plan whose filter never notifies: fail closed if that ever changes.</summary>
    private sealed class NeverNotifiedDecider : ISyscallDecider
    {
        public static readonly NeverNotifiedDecider Instance = new();

        public SyscallDecision Decide(in SyscallNotification notification, NotifiedProcess process) =>
            new(SeccompAction.ErrnoAction(LinuxErrno.ENOSYS), "supervisor: the built-in default policy does not notify");
    }
}
