using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Model;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// An open-family call as the kernel would see it: dirfd, the path and struct open_how read from the
/// caller (fresh bytes overlaid with what the filter saw), with the flags the kernel derives for the
/// old calls (fs/open.c build_open_how: unknown flags dropped, O_PATH keeps only its own flags, the
/// mode only with O_CREAT/O_TMPFILE, O_LARGEFILE added except by the 32-bit compat open/openat).
/// </summary>
internal sealed record OpenRequest(OpenSyscall Syscall, int DirFd, byte[] Path, OpenHow How)
{
    private const int OpenHowSizeVer0 = 24, Page = 4096, E2BIG = 7;

    public bool IsAbsolute => Path[0] == (byte)'/';

    /// <summary>RESOLVE_BENEATH and RESOLVE_IN_ROOT resolve even an absolute path from the dirfd.</summary>
    public bool NeedsDirFd => !IsAbsolute || (How.Resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0;

    public int Flags => (int)How.Flags;

    /// <summary>The request, or the errno the kernel would give first (struct errors, then the flags check is left to the kernel, then path errors).</summary>
    public static (OpenRequest? Request, OpenHow How, int Errno) Read(in SyscallNotification n, OpenSyscall syscall, CallerMemory memory)
    {
        var args = n.Data.Args;
        ulong Arg(int i) => syscall.Has32BitArguments ? (uint)args[i] : args[i];
        int dirFd = syscall.Call is OpenCall.OpenAt or OpenCall.OpenAt2 ? (int)(uint)args[0] : AT_FDCWD; // int in the kernel: low 32 bits, signed
        ulong pathAddress = Arg(syscall.Call is OpenCall.OpenAt or OpenCall.OpenAt2 ? 1 : 0);

        OpenHow how;
        if (syscall.Call == OpenCall.OpenAt2)
        {
            var (read, error) = ReadHow(n.Pid, Arg(2), Arg(3), memory);
            if (error != 0) return (null, default, error);
            how = read;
            if ((how.Flags & O_PATH) == 0) how.Flags |= O_LARGEFILE;
        }
        else
        {
            int flags = syscall.Call == OpenCall.Creat ? O_CREAT | O_WRONLY | O_TRUNC : (int)(uint)Arg(syscall.Call == OpenCall.Open ? 1 : 2);
            uint mode = (uint)Arg(syscall.Call switch { OpenCall.Open => 2, OpenCall.Creat => 1, _ => 3 });
            if (syscall.ForcesLargeFile) flags |= O_LARGEFILE;
            how = Legacy(flags, mode);
        }

        var (path, pathError) = CallerMemoryReader.ReadPath(n.Pid, pathAddress, memory);
        if (pathError != 0) return (null, how, pathError);
        return (new OpenRequest(syscall, dirFd, path!, how), how, 0);
    }

    /// <summary>build_open_how for open, openat and creat.</summary>
    public static OpenHow Legacy(int flags, uint mode)
    {
        flags &= Valid;
        if ((flags & O_PATH) != 0) flags &= PathFlags;
        return new OpenHow { Flags = (uint)flags, Mode = Creates(flags) ? mode & S_IALLUGO : 0 };
    }

    /// <summary>copy_struct_from_user as openat2 does it: at least 24 bytes, at most a page, anything past 24 zero.</summary>
    private static unsafe (OpenHow How, int Errno) ReadHow(int pid, ulong address, ulong size, CallerMemory memory)
    {
        if (size < OpenHowSizeVer0) return (default, Bpf.LinuxErrno.EINVAL);
        if (size > Page) return (default, E2BIG);
        Span<byte> bytes = stackalloc byte[(int)size];
        int error = CallerMemoryReader.ReadExactly(pid, address, bytes, memory);
        if (error != 0) return (default, error);
        if (bytes[OpenHowSizeVer0..].ContainsAnyExcept((byte)0)) return (default, E2BIG);
        fixed (byte* b = bytes) return (*(OpenHow*)b, 0);
    }
}
