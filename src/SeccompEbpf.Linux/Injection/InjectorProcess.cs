using System.Buffers.Binary;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Linux.Launch;
using static SeccompEbpf.Linux.Interop.LinuxConstants;
using static SeccompEbpf.Bpf.LinuxErrno;

namespace SeccompEbpf.Linux.Injection;

/// <summary>
/// Stacks a filter into a running sandboxed process through a short-lived helper process (the
/// launcher binary in its hidden <c>__inject</c> mode), which traces it (<see cref="FilterInjector"/>).
/// The helper is not in the sandbox; the sandboxed program cannot reach it (Landlock). If the helper
/// dies half way, PTRACE_O_EXITKILL ends the traced process: it never runs on altered registers.
/// Request on the control socket: u64 cookie × 2, i32 pid, then the filter's sock_filter entries.
/// Reply: 'K', or 'E' and the reason.
/// </summary>
public static unsafe class InjectorProcess
{
    public const string Verb = "__inject";
    private const int ControlFd = 3;

    /// <summary>Null when the process <paramref name="tgid"/> now has the filter on all its threads; else why not.</summary>
    public static string? Stack(LauncherInvocation launcher, int tgid, IReadOnlyList<ClassicInstruction> filter, InjectionCookie cookie)
    {
        var fds = stackalloc int[2];
        if (LibC.SocketPair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) return $"socketpair: {LibC.ErrnoMessage(LibC.LastErrno)}";
        int control = fds[0], childEnd = fds[1];
        string[] argv = [launcher.Executable, .. launcher.PrefixArguments, Verb, "--control-fd", ControlFd.ToString()];
        var pid = SandboxLauncher.Spawn(launcher.Executable, argv, childEnd, ControlFd, null, out var spawnError);
        LibC.Close(childEnd);
        try
        {
            if (pid < 0) return $"starting the injector {launcher.Executable}: {LibC.ErrnoMessage(spawnError)}";
            var request = new byte[20 + filter.Count * 8];
            BinaryPrimitives.WriteUInt64LittleEndian(request, cookie.First);
            BinaryPrimitives.WriteUInt64LittleEndian(request.AsSpan(8), cookie.Second);
            BinaryPrimitives.WriteInt32LittleEndian(request.AsSpan(16), tgid);
            ClassicInstruction.ToBytes(filter).CopyTo(request, 20);
            if (FdPassing.Send(control, request, -1) is var sendError and not 0) return $"sending the filter to the injector: {LibC.ErrnoMessage(sendError)}";
            Span<byte> reply = stackalloc byte[4096];
            var length = FdPassing.Receive(control, reply, out var stray);
            if (stray >= 0) LibC.Close(stray);
            if (length <= 0) return "the injector ended without an answer";
            return reply[0] == (byte)'K' ? null : System.Text.Encoding.UTF8.GetString(reply[1..length]);
        }
        finally
        {
            LibC.Close(control);
            if (pid > 0)
            {
                int status;
                while (LibC.WaitPid(pid, &status, 0) < 0 && LibC.LastErrno == EINTR) { }
            }
        }
    }

    /// <summary>The helper's side: <c>__inject --control-fd N</c>.</summary>
    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != "--control-fd" || !int.TryParse(args[1], out var control))
        {
            Console.Error.WriteLine("seccomp-ebpf __inject: internal mode, started by the supervisor only");
            return LauncherChild.SetupFailedExit;
        }
        var request = new byte[20 + 8 * ClassicInstruction.MaxInstructions];
        var length = FdPassing.Receive(control, request, out var stray);
        if (stray >= 0) LibC.Close(stray);
        string? error;
        if (length < 28 || (length - 20) % 8 != 0) error = "the injector got no valid request";
        else
        {
            var cookie = new InjectionCookie(BinaryPrimitives.ReadUInt64LittleEndian(request), BinaryPrimitives.ReadUInt64LittleEndian(request.AsSpan(8)));
            var tgid = BinaryPrimitives.ReadInt32LittleEndian(request.AsSpan(16));
            error = FilterInjector.Inject(tgid, request.AsSpan(20, length - 20), cookie);
        }
        var reply = error is null ? [(byte)'K'] : LaunchProtocol.EncodeText((byte)'E', error);
        FdPassing.Send(control, reply, -1);
        return error is null ? 0 : 1;
    }
}
