using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>
/// Allows the first <c>allowed</c> notified calls, then answers ERRNO: one counter for every thread
/// and child of the command, as a shared kernel map would count them. Negative <c>allowed</c>: no limit.
/// </summary>
public sealed class CountingDecider(long allowed, int errno, string filterName = "builtin:count") : ISyscallDecider
{
    private long _seen;

    public long Seen => Interlocked.Read(ref _seen);

    public SyscallDecision Decide(in SyscallNotification notification, NotifiedProcess process)
    {
        var count = Interlocked.Increment(ref _seen);
        return allowed < 0 || count <= allowed
            ? new SyscallDecision(SeccompAction.AllowAction, filterName)
            : new SyscallDecision(SeccompAction.ErrnoAction(errno), filterName);
    }
}
