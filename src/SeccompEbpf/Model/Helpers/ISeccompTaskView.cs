using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Model.Helpers;

/// <summary>A pid namespace; <see cref="Initial"/> is the init namespace.</summary>
public readonly record struct PidNamespaceId(long Id)
{
    public static PidNamespaceId Initial => new(0);
}

/// <summary>
/// What the seccomp helpers may learn about the task making a system call. The simulator and the
/// real supervisor both implement it, so a filter behaves the same offline and live.
/// </summary>
public interface ISeccompTaskView : IProcessEnvironment
{
    /// <summary>uid and gid as seen from the initial user namespace.</summary>
    (uint Uid, uint Gid) InitialNamespaceIds { get; }

    /// <summary>The thread id and thread-group id as seen in <paramref name="pidNamespace"/>, or null when the task is not visible there.</summary>
    (int Pid, int Tgid)? IdsIn(PidNamespaceId pidNamespace);

    /// <summary>The process's dumpable attribute (what ptrace access checks use).</summary>
    bool IsDumpable { get; }

    /// <summary>Copies the task's memory at <paramref name="address"/>; returns the bytes copied (fewer at an unmapped page) or a negative errno.</summary>
    int ReadMemory(ulong address, Span<byte> destination);
}
