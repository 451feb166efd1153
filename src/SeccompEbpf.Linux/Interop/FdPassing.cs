using SeccompEbpf.Bpf;

namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// Messages on the launcher's control socket (AF_UNIX SOCK_SEQPACKET): a few bytes, optionally
/// carrying one file descriptor with SCM_RIGHTS.
/// </summary>
internal static unsafe class FdPassing
{
    // CMSG_SPACE(sizeof(int)) on 64-bit: 16-byte header + 4 bytes rounded up to 8.
    private const int ControlBytes = 24;
    private const int ControlLengthForOneFd = 20; // CMSG_LEN(sizeof(int))

    /// <summary>Sends <paramref name="payload"/> with <paramref name="fd"/> attached (fd &lt; 0: none). Returns 0 or an errno.</summary>
    public static int Send(int socket, ReadOnlySpan<byte> payload, int fd)
    {
        byte* control = stackalloc byte[ControlBytes];
        new Span<byte>(control, ControlBytes).Clear();
        fixed (byte* data = payload)
        {
            var iov = new IoVec { Base = data, Length = (nuint)payload.Length };
            var message = new MsgHdr { Iov = &iov, IovLength = 1 };
            if (fd >= 0)
            {
                var header = (CmsgHdr*)control;
                header->Length = ControlLengthForOneFd;
                header->Level = LinuxConstants.SOL_SOCKET;
                header->Type = LinuxConstants.SCM_RIGHTS;
                *(int*)(control + sizeof(CmsgHdr)) = fd;
                message.Control = control;
                message.ControlLength = ControlBytes;
            }
            while (true)
            {
                if (LibC.SendMsg(socket, &message, LinuxConstants.MSG_NOSIGNAL) >= 0) return 0;
                var errno = LibC.LastErrno;
                if (errno != LinuxErrno.EINTR) return errno;
            }
        }
    }

    /// <summary>
    /// Receives one message into <paramref name="buffer"/>. Returns the byte count (0 = peer closed)
    /// or -errno; <paramref name="fd"/> is the attached descriptor (close-on-exec) or -1.
    /// </summary>
    public static int Receive(int socket, Span<byte> buffer, out int fd)
    {
        fd = -1;
        byte* control = stackalloc byte[ControlBytes];
        new Span<byte>(control, ControlBytes).Clear();
        fixed (byte* data = buffer)
        {
            var iov = new IoVec { Base = data, Length = (nuint)buffer.Length };
            var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlBytes };
            nint received;
            while ((received = LibC.RecvMsg(socket, &message, LinuxConstants.MSG_CMSG_CLOEXEC)) < 0)
            {
                var errno = LibC.LastErrno;
                if (errno != LinuxErrno.EINTR) return -errno;
            }
            var header = (CmsgHdr*)control;
            if (message.ControlLength >= (nuint)ControlLengthForOneFd
                && header->Level == LinuxConstants.SOL_SOCKET && header->Type == LinuxConstants.SCM_RIGHTS)
                fd = *(int*)(control + sizeof(CmsgHdr));
            return (int)received;
        }
    }
}
