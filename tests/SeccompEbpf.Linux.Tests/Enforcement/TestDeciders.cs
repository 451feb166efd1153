using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>A decider from a function, for tests that look at arguments or return a fixed action.</summary>
internal sealed class FunctionDecider(Func<SyscallNotification, NotifiedProcess, SeccompAction> decide) : ISyscallDecider
{
    public int Calls;

    public SyscallDecision Decide(in SyscallNotification notification, NotifiedProcess process)
    {
        Interlocked.Increment(ref Calls);
        return new SyscallDecision(decide(notification, process), "test");
    }
}
