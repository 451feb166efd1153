namespace SeccompEbpf.Bpf.Engine;

/// <summary>Conveniences for callers that do not manage their own <see cref="BpfRunContext"/> or pinning.</summary>
public static class BpfExecutableExtensions
{
    [ThreadStatic] private static BpfRunContext? t_context;

    /// <summary>A run context owned by the calling thread (reused; allocates once per thread).</summary>
    public static BpfRunContext ThreadContext => t_context ??= new BpfRunContext();

    public static BpfRunResult Run(this IBpfExecutable executable, in BpfRunArgs args) =>
        executable.Run(ThreadContext, args);

    /// <summary>Runs with r1 = pointer to a copy-free pinned view of <paramref name="memory"/> and r2 = its length (writable).</summary>
    public static unsafe BpfRunResult RunWithMemory(this IBpfExecutable executable, BpfRunContext context, Span<byte> memory)
    {
        fixed (byte* p = memory)
            return executable.Run(context, BpfRunArgs.ForMemory(p, memory.Length));
    }

    /// <summary>Runs with r1 = pointer to <paramref name="contextBytes"/> (read-only unless <paramref name="writable"/>).</summary>
    public static unsafe BpfRunResult RunWithContext(this IBpfExecutable executable, BpfRunContext context, Span<byte> contextBytes, bool writable = false)
    {
        fixed (byte* p = contextBytes)
            return executable.RunWithContext(context, p, contextBytes.Length, writable);
    }
}
