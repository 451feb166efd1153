namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// The seam where policies plug into the supervisor: given one notified system call, return the
/// seccomp action to carry out. Called from the supervisor's single loop thread, one call at a time,
/// so state kept here is shared by every thread and child process of the sandboxed command exactly
/// as a kernel map would be.
/// </summary>
public interface ISyscallDecider
{
    SyscallDecision Decide(in SyscallNotification notification, NotifiedProcess process);
}

/// <summary>The action to carry out and, for the log, which filter chose it.</summary>
public readonly record struct SyscallDecision(Model.SeccompAction Action, string? Filter = null)
{
    /// <summary>
    /// The caller's memory the decision read (null: none). An ALLOW or LOG that read memory is never
    /// continued (the kernel would read the memory again): the supervisor carries the call out on
    /// these bytes, or refuses it (see <see cref="MemoryDependentAllow"/>).
    /// </summary>
    public CallerMemory? MemoryRead { get; init; }

    /// <summary>The policy accepts continuing a memory-dependent ALLOW although it is racy (logged as racy).</summary>
    public bool MayContinueRacily { get; init; }
}
