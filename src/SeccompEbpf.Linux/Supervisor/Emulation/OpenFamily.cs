using System.Collections.Frozen;
using System.Runtime.InteropServices;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

internal enum OpenCall { Open, OpenAt, OpenAt2, Creat }

/// <summary>One open-family system call of one ABI.</summary>
internal readonly record struct OpenSyscall(OpenCall Call, SyscallArch Abi)
{
    /// <summary>i386 passes 32-bit arguments (seccomp_data holds them zero-extended).</summary>
    public bool Has32BitArguments => Abi == SyscallArch.I386;

    /// <summary>
    /// The kernel adds O_LARGEFILE to every open except the 32-bit compat open and openat
    /// (compat_sys_open/compat_sys_openat do not): there a file over 2 GiB gives EOVERFLOW.
    /// </summary>
    public bool ForcesLargeFile => !(Abi == SyscallArch.I386 && Call is OpenCall.Open or OpenCall.OpenAt);
}

/// <summary>
/// The open-family calls the supervisor can carry out itself, for every ABI this machine runs (on
/// x86_64: x86_64, i386 through int 0x80, x32), numbered from the project's syscall tables. ABIs whose
/// O_* values differ from the generic ones (32-bit arm) are left out: such calls are refused, not guessed.
/// </summary>
internal static class OpenFamily
{
    private static readonly FrozenDictionary<(uint AuditArch, int Nr), OpenSyscall> Calls = Build();

    public static bool TryGet(uint auditArch, int nr, out OpenSyscall call) => Calls.TryGetValue((auditArch, nr), out call);

    /// <summary>The ABIs a program on this machine can use.</summary>
    public static IReadOnlyList<SyscallArch> MachineAbis => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => [SyscallArch.X86_64, SyscallArch.I386, SyscallArch.X32],
        Architecture.Arm64 => [SyscallArch.AArch64],
        Architecture.RiscV64 => [SyscallArch.RiscV64],
        _ => [],
    };

    private static FrozenDictionary<(uint, int), OpenSyscall> Build()
    {
        var calls = new Dictionary<(uint, int), OpenSyscall>();
        foreach (var abi in MachineAbis)
        {
            var table = SyscallTable.For(abi);
            foreach (var (name, call) in new[] { ("open", OpenCall.Open), ("openat", OpenCall.OpenAt), ("openat2", OpenCall.OpenAt2), ("creat", OpenCall.Creat) })
                if (table.TryGetNumber(name, out var nr)) calls[(abi.AuditArch(), nr)] = new OpenSyscall(call, abi);
        }
        return calls.ToFrozenDictionary();
    }
}
