using System.Runtime.InteropServices;
using static SeccompEbpf.Bpf.LinuxErrno;

namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// Removes a capability from every set of the calling thread (capabilities(7)): bounding, effective,
/// permitted, inheritable and ambient. All of these are per thread; execve passes the calling
/// thread's sets on. The bounding set matters most for root: execve by uid 0 refills the permitted
/// set from the bounding set.
/// </summary>
internal static unsafe partial class Capabilities
{
    public const int CapSysPtrace = 19;

    private const int PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_LOWER = 3;
    private const uint LinuxCapabilityVersion3 = 0x20080522;

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static partial int CapGet(uint* header, uint* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static partial int CapSet(uint* header, uint* data);

    /// <summary>Returns null on success, else what failed. Without CAP_SETPCAP the bounding set cannot be
    /// changed: that is only an error for root (uid 0), whose execve would take the capability back.</summary>
    public static string? DropFromAllSets(int capability)
    {
        if (LibC.Prctl(PR_CAPBSET_READ, (ulong)capability, 0, 0, 0) == 1
            && LibC.Prctl(PR_CAPBSET_DROP, (ulong)capability, 0, 0, 0) != 0
            && (LibC.LastErrno != EPERM || LibC.GetEuid() == 0))
            return $"prctl(PR_CAPBSET_DROP, {capability}): {LibC.ErrnoMessage(LibC.LastErrno)}";

        // Ambient first: the kernel keeps ambient ⊆ permitted ∩ inheritable, and an unset bit is no error.
        LibC.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, (ulong)capability, 0, 0);

        uint* header = stackalloc uint[2];
        uint* data = stackalloc uint[6]; // two struct __user_cap_data_struct {effective, permitted, inheritable}
        header[0] = LinuxCapabilityVersion3;
        header[1] = 0; // this thread
        if (CapGet(header, data) != 0) return $"capget: {LibC.ErrnoMessage(LibC.LastErrno)}";
        var word = capability / 32;
        var mask = ~(1u << (capability % 32));
        var unchanged = (data[3 * word] & ~mask) == 0 && (data[3 * word + 1] & ~mask) == 0 && (data[3 * word + 2] & ~mask) == 0;
        if (unchanged) return null;
        for (int set = 0; set < 3; set++) data[3 * word + set] &= mask;
        return CapSet(header, data) == 0 ? null : $"capset: {LibC.ErrnoMessage(LibC.LastErrno)}";
    }
}
