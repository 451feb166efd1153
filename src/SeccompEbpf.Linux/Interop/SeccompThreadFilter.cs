using System.Runtime.InteropServices;
using SeccompEbpf.Classic;

namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// Installs classic seccomp filters on the calling thread only (no TSYNC) and makes raw system
/// calls, so that tests can compare the running kernel with our model without forking a .NET
/// process. Every call returns the errno as a value (0 on success).
/// </summary>
public static unsafe partial class SeccompThreadFilter
{
    private const int PrSetNoNewPrivs = 38;
    private const uint SeccompSetModeFilter = 1;

    /// <summary>seccomp(2)'s system call number on this machine, or -1 when unknown here.</summary>
    public static long SeccompSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 317,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 277,
        _ => -1,
    };

    /// <summary>prctl(PR_SET_NO_NEW_PRIVS, 1): lets an unprivileged thread install filters; returns the errno or 0.</summary>
    public static int SetNoNewPrivs() =>
        prctl(PrSetNoNewPrivs, 1, 0, 0, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>seccomp(SECCOMP_SET_MODE_FILTER, flags, prog) for the calling thread; returns the errno or 0 (or the listener fd with NEW_LISTENER).</summary>
    public static int Install(ReadOnlySpan<ClassicInstruction> program, uint flags, out long result)
    {
        if (SeccompSyscallNumber < 0)
        {
            result = -1;
            return 38; // ENOSYS: we do not know seccomp's number on this architecture
        }
        fixed (ClassicInstruction* filter = program)
        {
            var fprog = new SockFprog { Length = (ushort)program.Length, Filter = filter };
            result = syscall(SeccompSyscallNumber, SeccompSetModeFilter, flags, (ulong)&fprog, 0, 0, 0);
            return result < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
    }

    public static int Install(ReadOnlySpan<ClassicInstruction> program) => Install(program, 0, out _);

    /// <summary>syscall(nr, a0..a5): returns the raw result and the errno (0 when the call did not fail).</summary>
    public static (long Result, int Errno) Invoke(long nr, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
    {
        long result = syscall(nr, a0, a1, a2, a3, a4, a5);
        return (result, result == -1 ? Marshal.GetLastPInvokeError() : 0);
    }

    /// <summary>capset(2) with empty sets for the calling thread only (capabilities are per thread); returns the errno or 0.</summary>
    public static int DropAllCapabilities()
    {
        long nr = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 126,
            Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 91,
            _ => -1,
        };
        if (nr < 0) return 38;
        uint* header = stackalloc uint[2] { 0x20080522, 0 }; // _LINUX_CAPABILITY_VERSION_3, this thread
        uint* data = stackalloc uint[6];                      // two empty {effective, permitted, inheritable}
        new Span<uint>(data, 6).Clear();
        var (result, errno) = Invoke(nr, (ulong)header, (ulong)data, 0, 0, 0, 0);
        return result == 0 ? 0 : errno;
    }

    /// <summary>close(2), for listener file descriptors.</summary>
    public static int Close(int fd) => close(fd) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    // struct sock_fprog { unsigned short len; struct sock_filter *filter; } (pointer aligned).
    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public ClassicInstruction* Filter;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    // glibc's syscall() is variadic but only moves integer registers, so a fixed 7-argument
    // declaration is call-compatible on the 64-bit ABIs we run on.
    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);
}
