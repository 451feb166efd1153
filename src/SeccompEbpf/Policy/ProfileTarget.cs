using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy;

/// <summary>
/// What a profile is resolved for, as Docker resolves it: the native architecture (selects the
/// archMap entry and includes/excludes.arches), the container's capabilities
/// (includes/excludes.caps) and the kernel version (minKernel).
/// </summary>
public sealed record ProfileTarget
{
    /// <summary>Docker's default capability set (moby oci/caps/defaults.go).</summary>
    public static readonly IReadOnlyList<string> DockerDefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    public SyscallArch NativeArch { get; init; } = SyscallArch.X86_64;

    /// <summary>Capabilities of the container, "CAP_" prefix optional, any case.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = DockerDefaultCapabilities;

    /// <summary>The kernel version for minKernel; null means "new enough for every rule".</summary>
    public KernelVersion? Kernel { get; init; }

    /// <summary>When set, exactly these ABIs are filtered, whatever the profile says.</summary>
    public IReadOnlyList<SyscallArch>? ArchesOverride { get; init; }

    /// <summary>What a system call from an ABI the filter does not cover gets (libseccomp default: KILL, i.e. KILL_THREAD).</summary>
    public SeccompAction BadArchAction { get; init; } = new(SeccompAction.KillThread);

    public bool HasCapability(string cap) => Capabilities.Any(c => NormalizeCap(c) == NormalizeCap(cap));

    public static string NormalizeCap(string cap)
    {
        var upper = cap.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_") ? upper : "CAP_" + upper;
    }
}
