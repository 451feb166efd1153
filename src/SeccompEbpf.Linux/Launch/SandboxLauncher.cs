using System.Runtime.InteropServices;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Linux.Supervisor;
using static SeccompEbpf.Bpf.LinuxErrno;
using static SeccompEbpf.Linux.Interop.LinuxConstants;

namespace SeccompEbpf.Linux.Launch;

/// <summary>The outcome of starting a command: the running command, or why it could not start.</summary>
public sealed record LaunchOutcome(LaunchedCommand? Command, string? Error, int ExitCode);

/// <summary>
/// Starts the launcher child (<see cref="LauncherChild"/>) with posix_spawn — never fork, which is
/// unsafe in a .NET process — hands it the plan over a socketpair and takes the listener back.
/// If the child's hand-off message is itself notified by the filter (it blocks until someone reads
/// the listener it is trying to send), the supervisor finds the listener in /proc/PID/fd and takes
/// it with pidfd_getfd, so no policy can deadlock the launch.
/// </summary>
public static unsafe class SandboxLauncher
{
    private static readonly TimeSpan HandOffPatience = TimeSpan.FromMilliseconds(250);

    /// <param name="standardOutputPath">null: the command shares this process's standard output; else it writes to this file (created or truncated).</param>
    internal static LaunchOutcome Launch(LauncherInvocation launcher, in LaunchPlan launch, string command, IReadOnlyList<string> arguments, string? standardOutputPath = null)
    {
        var resolved = CommandResolver.Resolve(command);
        if (resolved is null)
            return new LaunchOutcome(null, $"{command}: command not found", LauncherChild.NotFoundExit);

        var fds = stackalloc int[2];
        if (LibC.SocketPair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
            return new LaunchOutcome(null, $"socketpair: {LibC.ErrnoMessage(LibC.LastErrno)}", LauncherChild.SetupFailedExit);
        int control = fds[0], childEnd = fds[1];

        var controlInChild = LaunchProtocol.ControlFdFor(launch.PreservedFds);
        string[] argv = [launcher.Executable, .. launcher.PrefixArguments, LaunchProtocol.LaunchVerb,
            "--control-fd", controlInChild.ToString(), "--", resolved, command, .. arguments];
        var pid = Spawn(launcher.Executable, argv, childEnd, controlInChild, standardOutputPath, out var spawnError);
        LibC.Close(childEnd);
        if (pid < 0)
        {
            LibC.Close(control);
            return new LaunchOutcome(null, $"starting the launcher {launcher.Executable}: {LibC.ErrnoMessage(spawnError)}", LauncherChild.SetupFailedExit);
        }
        var pidFd = SeccompNotifyInterop.PidfdOpen(pid, 0);

        var sendError = FdPassing.Send(control, LaunchProtocol.EncodePlan(launch), -1);
        if (sendError != 0)
            return Abandon(pid, pidFd, control, $"sending the plan to the launcher: {LibC.ErrnoMessage(sendError)}");

        return AwaitInstall(pid, pidFd, control, launch.WantsListener);
    }

    private static LaunchOutcome AwaitInstall(int pid, int pidFd, int control, bool wantsListener)
    {
        Span<byte> message = stackalloc byte[4096];
        var poll = new PollFd { Fd = control, Events = POLLIN };
        while (true)
        {
            poll.ReturnedEvents = 0;
            var ready = LibC.Poll(&poll, 1, (int)HandOffPatience.TotalMilliseconds);
            if (ready < 0 && LibC.LastErrno == EINTR) continue;
            if (ready == 0)
            {
                if (wantsListener && pidFd >= 0 && TryTakeListenerFromProc(pid, pidFd) is { } taken)
                    return new LaunchOutcome(new LaunchedCommand(pid, pidFd, control, new SeccompListener(taken), takenFromProc: true), null, 0);
                continue;
            }
            var length = FdPassing.Receive(control, message, out var fd);
            if (length <= 0)
                return Abandon(pid, pidFd, control, "the launcher ended before installing the filter", reap: true);
            switch (message[0])
            {
                case LaunchProtocol.Listener when fd >= 0:
                    return new LaunchOutcome(new LaunchedCommand(pid, pidFd, control, new SeccompListener(fd), takenFromProc: false), null, 0);
                case LaunchProtocol.Installed:
                    if (fd >= 0) LibC.Close(fd);
                    return new LaunchOutcome(new LaunchedCommand(pid, pidFd, control, null, takenFromProc: false), null, 0);
                default:
                    if (fd >= 0) LibC.Close(fd);
                    return Abandon(pid, pidFd, control, LaunchProtocol.DecodeText(message[..length]), reap: true);
            }
        }
    }

    /// <summary>Finds the child's seccomp listener by its /proc link name and copies it with pidfd_getfd.</summary>
    private static int? TryTakeListenerFromProc(int pid, int pidFd)
    {
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (new FileInfo(entry).LinkTarget != "anon_inode:seccomp notify") continue;
                if (!int.TryParse(Path.GetFileName(entry), out var number)) continue;
                var fd = SeccompNotifyInterop.PidfdGetfd(pidFd, number);
                if (fd >= 0) return fd;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static LaunchOutcome Abandon(int pid, int pidFd, int control, string error, bool reap = false)
    {
        LibC.Close(control);
        int status = 0;
        if (!reap) LibC.Kill(pid, SIGKILL);
        while (LibC.WaitPid(pid, &status, 0) < 0 && LibC.LastErrno == EINTR) { }
        if (pidFd >= 0) LibC.Close(pidFd);
        var exit = ExitStatus.FromWaitStatus(status);
        var code = exit.Signaled ? exit.ShellCode : exit.Code == 0 ? LauncherChild.SetupFailedExit : exit.Code;
        return new LaunchOutcome(null, error, code);
    }

    /// <summary>posix_spawn with the control socket as fd <paramref name="controlInChild"/>, default SIGPIPE,
    /// an empty signal mask and this process's environment as it received it.</summary>
    internal static int Spawn(string path, string[] argv, int childEnd, int controlInChild, string? standardOutputPath, out int error)
    {
        var source = childEnd;
        // dup2(n, n) would keep close-on-exec set: move the socket off that number first.
        if (childEnd == controlInChild) source = LibC.Fcntl(childEnd, F_DUPFD_CLOEXEC, controlInChild + 1);
        var actions = NativeMemory.AllocZeroed(1024);
        var attributes = NativeMemory.AllocZeroed(1024);
        var defaults = NativeMemory.AllocZeroed(SigSetBytes);
        var mask = NativeMemory.AllocZeroed(SigSetBytes);
        var nativePath = NativeStrings.Utf8(path);
        var nativeArgv = NativeStrings.Array(argv);
        var nativeOutput = standardOutputPath is null ? null : NativeStrings.Utf8(standardOutputPath);
        try
        {
            LibC.PosixSpawnFileActionsInit(actions);
            LibC.PosixSpawnFileActionsAddDup2(actions, source, controlInChild);
            if (nativeOutput != null) LibC.PosixSpawnFileActionsAddOpen(actions, 1, nativeOutput, O_WRONLY | O_CREAT | O_TRUNC, 0x1a4 /* 0644 */);
            LibC.PosixSpawnAttrInit(attributes);
            LibC.SigEmptySet(defaults);
            LibC.SigAddSet(defaults, SIGPIPE);
            LibC.SigEmptySet(mask);
            LibC.PosixSpawnAttrSetSigDefault(attributes, defaults);
            LibC.PosixSpawnAttrSetSigMask(attributes, mask);
            LibC.PosixSpawnAttrSetFlags(attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
            int pid;
            error = LibC.PosixSpawn(&pid, nativePath, actions, attributes, nativeArgv, LibC.Environ);
            return error == 0 ? pid : -1;
        }
        finally
        {
            LibC.PosixSpawnFileActionsDestroy(actions);
            LibC.PosixSpawnAttrDestroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(defaults);
            NativeMemory.Free(mask);
            NativeMemory.Free(nativePath);
            if (nativeOutput != null) NativeMemory.Free(nativeOutput);
            NativeStrings.FreeArray(nativeArgv);
            if (source != childEnd) LibC.Close(source);
        }
    }
}
