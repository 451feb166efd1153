using System.Runtime.InteropServices;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Model;
using static SeccompEbpf.Bpf.LinuxErrno;
using static SeccompEbpf.Linux.Interop.LinuxConstants;
using static SeccompEbpf.Linux.Interop.SeccompNotifyInterop;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// The hidden <c>__launch</c> mode: the process the supervisor starts, which becomes the sandboxed
/// command. Arguments: <c>--control-fd N -- PATH ARGV0 ARGS...</c>. It reads the plan from the control
/// socket, prepares everything execve needs, then closes the sandbox around itself: only fds 0-2 (and
/// those the user passes) survive execve, CAP_SYS_PTRACE leaves every capability set, no_new_privs is
/// set, a Landlock domain keeps it from ptracing or signalling anything outside the sandbox, and the
/// sandbox's base filter and the policy's filter are installed on every thread (TSYNC). It hands the
/// listener to the supervisor (SCM_RIGHTS) and calls execve. From the first filter on it allocates
/// nothing and makes only seccomp, sendmsg, close and execve calls, so a policy must allow those (or
/// notify them: the supervisor then still gets the listener, see SandboxLauncher).
/// </summary>
public static unsafe class LauncherChild
{
    /// <summary>Exit codes of the launcher itself when it cannot run the command (shell conventions).</summary>
    public const int SetupFailedExit = 125, CannotExecuteExit = 126, NotFoundExit = 127;

    /// <summary>The hidden first argument that selects this mode.</summary>
    public const string Verb = LaunchProtocol.LaunchVerb;

    public static int Main(string[] args)
    {
        if (args.Length < 5 || args[0] != "--control-fd" || !int.TryParse(args[1], out var control) || args[2] != "--")
        {
            Console.Error.WriteLine("seccomp-ebpf __launch: internal mode, started by 'seccomp-ebpf run' only");
            return SetupFailedExit;
        }
        LibC.Fcntl(control, F_SETFD, FD_CLOEXEC); // the command must not inherit the control socket
        var message = new byte[LaunchProtocol.MaxPlanBytes];
        var length = FdPassing.Receive(control, message, out var strayFd);
        if (strayFd >= 0) LibC.Close(strayFd);
        if (length <= 0)
            return Fail(control, length == 0 ? "the supervisor closed the control socket before sending a plan" : $"reading the plan: {LibC.ErrnoMessage(-length)}");
        if (!LaunchProtocol.TryDecodePlan(message.AsSpan(0, length), out var plan, out var error))
            return Fail(control, error);

        var path = args[3];
        var nativePath = NativeStrings.Utf8(path);
        var nativeArgv = NativeStrings.Array(args[4..]);
        var baseFilter = NativeFilter(plan.BaseFilter);
        var filter = NativeFilter(plan.Filter);
        Span<byte> listenerMessage = [LaunchProtocol.Listener];
        Span<byte> installedMessage = [LaunchProtocol.Installed];

        RestoreSignalDefaultsForCommand();
        SettleRuntimeThreads();

        if (SandboxHardening.PassOnlyStandardAndPreservedFds(plan.PreservedFds) is { } fdError) return Fail(control, fdError);
        if (!plan.KeepCapSysPtrace && Capabilities.DropFromAllSets(Capabilities.CapSysPtrace) is { } capError)
            return Fail(control, $"dropping CAP_SYS_PTRACE: {capError}");
        if (LibC.Prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            return Fail(control, $"prctl(PR_SET_NO_NEW_PRIVS): {LibC.ErrnoMessage(LibC.LastErrno)}");
        if (plan.Landlock is { } landlock && Landlock.RestrictSelf(landlock) is { } landlockError)
            return Fail(control, $"entering the sandbox's Landlock domain (ABI {landlock.Abi}): {landlockError}");

        // The base filter first (older): with no listener of its own it refuses NEW_LISTENER, which the
        // policy's filter below may still ask for because the base filter then leaves that rule out.
        if (baseFilter.Length > 0 && SetModeFilter(SeccompFilterFlags.Tsync, &baseFilter) is < 0)
            return Fail(control, $"installing the sandbox's base filter: {LibC.ErrnoMessage(LibC.LastErrno)}" + InstallHint(LibC.LastErrno));
        var flags = SeccompFilterFlags.Tsync | plan.ExtraFilterFlags
            | (plan.WantsListener ? SeccompFilterFlags.NewListener | SeccompFilterFlags.TsyncEsrch : 0);
        var listener = SetModeFilter(flags, &filter);
        if (listener < 0 && LibC.LastErrno == EINVAL && (flags & SeccompFilterFlags.WaitKillableRecv) != 0)
            listener = SetModeFilter(flags &= ~SeccompFilterFlags.WaitKillableRecv, &filter); // before Linux 5.19
        if (listener < 0)
            return Fail(control, $"seccomp(SECCOMP_SET_MODE_FILTER, flags 0x{flags:x}): {LibC.ErrnoMessage(LibC.LastErrno)}" + InstallHint(LibC.LastErrno));

        // The filters are live: no allocation, no managed work, only sendmsg, close and execve.
        if (plan.WantsListener)
        {
            FdPassing.Send(control, listenerMessage, listener);
            LibC.Close(listener);
        }
        else FdPassing.Send(control, installedMessage, -1);

        LibC.Execve(nativePath, nativeArgv, LibC.Environ);
        var errno = LibC.LastErrno;
        FdPassing.Send(control, LaunchProtocol.EncodeExecFailure(errno, $"cannot execute {path}: {LibC.ErrnoMessage(errno)}"), -1);
        return errno == ENOENT ? NotFoundExit : CannotExecuteExit;
    }

    private static SockFprog NativeFilter(byte[] filter)
    {
        var native = (byte*)NativeMemory.Alloc((nuint)Math.Max(filter.Length, 1));
        filter.CopyTo(new Span<byte>(native, filter.Length));
        return new SockFprog { Length = (ushort)(filter.Length / 8), Filter = native };
    }

    /// <summary>
    /// The filter also applies to the runtime's own threads (TSYNC), and their system calls would be
    /// counted by stateful policies as if the command made them. A runtime thread that is still
    /// starting up (the NativeAOT finalizer thread calls getpid, for one) is made to finish first:
    /// a collection plus a wait for finalizers leaves the GC and finalizer threads idle.
    /// </summary>
    private static void SettleRuntimeThreads()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static int Fail(int control, string message)
    {
        FdPassing.Send(control, LaunchProtocol.EncodeText(LaunchProtocol.SetupFailed, message), -1);
        return SetupFailedExit;
    }

    private static string InstallHint(int errno) => errno switch
    {
        EINVAL => " (the kernel rejected the cBPF program or a flag; check the filter with 'seccomp-ebpf' tools)",
        EACCES => " (no_new_privs was not set and the process lacks CAP_SYS_ADMIN)",
        ESRCH => " (another thread has a conflicting filter; TSYNC failed)",
        _ => "",
    };

    /// <summary>
    /// The runtime ignores SIGPIPE and execve keeps ignored signals ignored: give the command the
    /// default back, and an empty signal mask, as a shell would.
    /// </summary>
    private static void RestoreSignalDefaultsForCommand()
    {
        LibC.Signal(SIGPIPE, 0 /* SIG_DFL */);
        var empty = stackalloc byte[SigSetBytes];
        LibC.SigEmptySet(empty);
        LibC.PthreadSigMask(SIG_SETMASK, empty, null);
    }
}

/// <summary>NUL-terminated UTF-8 strings and NULL-terminated pointer arrays in native memory (never freed: execve replaces the process).</summary>
internal static unsafe class NativeStrings
{
    public static byte* Utf8(string value)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(value);
        var bytes = (byte*)NativeMemory.Alloc((nuint)count + 1);
        System.Text.Encoding.UTF8.GetBytes(value, new Span<byte>(bytes, count));
        bytes[count] = 0;
        return bytes;
    }

    public static byte** Array(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < values.Count; i++) array[i] = Utf8(values[i]);
        array[values.Count] = null;
        return array;
    }

    public static void FreeArray(byte** array)
    {
        for (var p = array; *p != null; p++) NativeMemory.Free(*p);
        NativeMemory.Free(array);
    }
}
