using System.Runtime.InteropServices;

namespace SeccompEbpf.Syscalls;

/// <summary>
/// The system-call ABIs of this machine: what its native programs use, and what else its kernel runs.
/// The one place that looks at the processor architecture for policies (run, plan, simulate, the
/// sandbox's base filter, the built-in filters).
/// </summary>
public static class NativeArch
{
    /// <summary>The ABI of this machine's native programs; null on a processor we have no syscall table for.</summary>
    public static SyscallArch? Known => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SyscallArch.X86_64,
        Architecture.Arm64 => SyscallArch.AArch64,
        Architecture.RiscV64 => SyscallArch.RiscV64,
        _ => null,
    };

    /// <summary>The ABI of this machine's native programs.</summary>
    public static SyscallArch Primary => Known ?? throw new PlatformNotSupportedException(
        $"no system-call table for {RuntimeInformation.ProcessArchitecture} (known: x86_64, aarch64, riscv64)");

    /// <summary>The AUDIT_ARCH_* value of system calls made by this machine's native programs.</summary>
    public static uint AuditArchValue => Primary.AuditArch();

    /// <summary>
    /// Every ABI a process on this machine can make system calls through: an x86_64 kernel also takes
    /// i386 calls (int 0x80, or a 32-bit program) and x32 calls; an arm64 kernel may run 32-bit arm code.
    /// A protection that names system calls must name them on each of these.
    /// </summary>
    public static IReadOnlyList<SyscallArch> ReachableAbis => AbisOf(Primary);

    /// <summary>The ABIs a kernel whose native ABI is <paramref name="native"/> runs, native first.</summary>
    public static IReadOnlyList<SyscallArch> AbisOf(SyscallArch native) => native switch
    {
        SyscallArch.X86_64 => [SyscallArch.X86_64, SyscallArch.X32, SyscallArch.I386],
        SyscallArch.AArch64 => [SyscallArch.AArch64, SyscallArch.Arm],
        _ => [native],
    };
}
