using System.Runtime.InteropServices;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Policies;

/// <summary>The system-call ABIs of this machine: what its native programs use, and what else its kernel runs.</summary>
public static class NativeArch
{
    /// <summary>The AUDIT_ARCH_* value of system calls made by this machine's native programs.</summary>
    public static uint AuditArchValue => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => AuditArch.X86_64,
        Architecture.Arm64 => AuditArch.AArch64,
        Architecture.RiscV64 => AuditArch.RiscV64,
        var other => throw new PlatformNotSupportedException($"no AUDIT_ARCH value known for {other}"),
    };

    /// <summary>
    /// Every ABI a process on this machine can make system calls through: an x86_64 kernel also takes
    /// i386 calls (int 0x80, or a 32-bit program) and x32 calls; an arm64 kernel may run 32-bit arm code.
    /// A protection that names system calls must name them on each of these.
    /// </summary>
    public static IReadOnlyList<SyscallArch> ReachableAbis => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => [SyscallArch.X86_64, SyscallArch.X32, SyscallArch.I386],
        Architecture.Arm64 => [SyscallArch.AArch64, SyscallArch.Arm],
        Architecture.RiscV64 => [SyscallArch.RiscV64],
        var other => throw new PlatformNotSupportedException($"no system-call ABIs known for {other}"),
    };
}
