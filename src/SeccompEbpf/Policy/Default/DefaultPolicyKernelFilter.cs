using SeccompEbpf.Classic;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy.Default;

/// <summary>
/// The built-in default policy's kernel filter, compiled at development time by
/// tools/default-policy-filter into this assembly (DefaultPolicyKernelFilter.g.cs). It is as
/// trustworthy as the binary and costs nothing at start-up; a test checks it equals what the policy
/// compiles to now.
/// </summary>
public static partial class DefaultPolicyKernelFilter
{
    /// <summary>The filter for this machine, or null where none is built in (the policy is then compiled at run time).</summary>
    public static ClassicInstruction[]? ForThisMachine() =>
        NativeArch.Known == SyscallArch.X86_64 ? ClassicInstruction.Decode(X86_64Bytes) : null;
}
