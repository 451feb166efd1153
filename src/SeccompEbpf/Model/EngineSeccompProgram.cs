using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Model;

/// <summary>
/// An eBPF seccomp program prepared by one of our engines, as a filter chain sees it. Each run
/// gets the calling thread's run context, with the filtered task as its environment (helpers
/// read it; per-process storage is keyed by the thread-group leader). Maps belong to the
/// program, so every task whose chain holds this filter shares them.
/// </summary>
public sealed class EngineSeccompProgram(IBpfExecutable executable, UserNamespaceId loaderUserNamespace) : ISeccompProgram
{
    public IBpfExecutable Executable { get; } = executable;
    public string Name => Executable.Program.Name;
    public int InstructionCount => Executable.Program.Instructions.Length;
    public UserNamespaceId LoaderUserNamespace { get; } = loaderUserNamespace;

    /// <summary>The last run-time fault, if any (a verified program has none).</summary>
    public Bpf.BpfError? LastFault { get; private set; }

    public uint Run(in SeccompData data, SeccompThread task)
    {
        Span<byte> context = stackalloc byte[SeccompData.Size];
        data.WriteTo(context);
        var runContext = BpfExecutableExtensions.ThreadContext;
        var previous = runContext.Environment;
        runContext.Environment = task;
        try
        {
            var result = Executable.RunWithContext(runContext, context);
            if (result.IsOk) return (uint)result.R0; // the kernel keeps the low 32 bits
            // A fault cannot happen in the kernel (the verifier rules it out); here we fail closed.
            LastFault = result.Error;
            return SeccompAction.KillProcess;
        }
        finally
        {
            runContext.Environment = previous;
        }
    }
}
