using System.Runtime.InteropServices;
using SeccompEbpf.Model;

namespace SeccompEbpf.Linux.Policies;

/// <summary>The AUDIT_ARCH_* value of system calls made by this machine's native programs.</summary>
public static class NativeArch
{
    public static uint AuditArchValue => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => AuditArch.X86_64,
        Architecture.Arm64 => AuditArch.AArch64,
        Architecture.RiscV64 => AuditArch.RiscV64,
        var other => throw new PlatformNotSupportedException($"no AUDIT_ARCH value known for {other}"),
    };
}
