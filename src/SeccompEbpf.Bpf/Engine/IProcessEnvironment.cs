namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// What the engine needs to know about the process a run is for. The seccomp layer puts an
/// object implementing this in <see cref="BpfRunContext.Environment"/>; per-process storage maps
/// key their values by <see cref="CurrentProcessKey"/> (the analogue of the kernel's task storage,
/// keyed by the thread-group leader).
/// </summary>
public interface IProcessEnvironment
{
    /// <summary>A stable identity of the current process (e.g. its pid, or a pidfd-derived id).</summary>
    ulong CurrentProcessKey { get; }
}
