using System.Text;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.OpenFlags;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>Small file-descriptor operations on byte paths (paths are bytes, not necessarily UTF-8).</summary>
internal static unsafe class NativePath
{
    /// <summary>The bytes with a NUL appended, for a system call.</summary>
    public static byte[] Z(ReadOnlySpan<byte> path)
    {
        var z = new byte[path.Length + 1];
        path.CopyTo(z);
        return z;
    }

    public static byte[] Z(string path) => Z(Encoding.UTF8.GetBytes(path));

    /// <summary>openat(2); the fd or -errno.</summary>
    public static int OpenAt(int dirFd, ReadOnlySpan<byte> zPath, int flags, uint mode = 0)
    {
        fixed (byte* p = zPath)
        {
            int fd = LibC.OpenAt(dirFd, p, flags | O_CLOEXEC, mode);
            return fd >= 0 ? fd : -LibC.LastErrno;
        }
    }

    /// <summary>openat2(2); the fd or -errno.</summary>
    public static int OpenAt2(int dirFd, ReadOnlySpan<byte> zPath, OpenHow how)
    {
        fixed (byte* p = zPath)
        {
            int fd = LibC.OpenAt2(dirFd, p, &how);
            return fd >= 0 ? fd : -LibC.LastErrno;
        }
    }

    /// <summary>An O_PATH descriptor of <paramref name="zPath"/> under <paramref name="dirFd"/>, following nothing at the end; or -errno.</summary>
    public static int OpenPathNoFollow(int dirFd, ReadOnlySpan<byte> zPath) => OpenAt(dirFd, zPath, O_PATH | O_NOFOLLOW);

    /// <summary>The target of the symlink <paramref name="zName"/> in <paramref name="dirFd"/> (empty name: the link <paramref name="dirFd"/> itself); null on error with errno.</summary>
    public static byte[]? ReadLink(int dirFd, ReadOnlySpan<byte> zName, out int errno)
    {
        Span<byte> buffer = stackalloc byte[CallerMemoryReader.PathMax];
        fixed (byte* name = zName)
        fixed (byte* b = buffer)
        {
            nint length = LibC.ReadLinkAt(dirFd, name, b, (nuint)buffer.Length);
            errno = length < 0 ? LibC.LastErrno : 0;
            return length < 0 ? null : buffer[..(int)length].ToArray();
        }
    }

    public static bool IsProcfs(int fd)
    {
        Span<long> statfs = stackalloc long[16]; // struct statfs is 120 bytes on 64-bit; f_type comes first
        fixed (long* s = statfs) return LibC.FStatFs(fd, (byte*)s) == 0 && statfs[0] == PROC_SUPER_MAGIC;
    }

    /// <summary>Reads a small procfs file (a status, at most 8 KiB) relative to <paramref name="dirFd"/>; null if it cannot.</summary>
    public static string? ReadSmallFile(int dirFd, string relativePath)
    {
        int fd = OpenAt(dirFd, Z(relativePath), O_RDONLY);
        if (fd < 0) return null;
        try
        {
            // One read: procfs generates a small file in one go, so a short read is its end.
            Span<byte> buffer = stackalloc byte[8192];
            nint n;
            fixed (byte* b = buffer) n = LibC.Read(fd, b, (nuint)buffer.Length);
            return n < 0 ? null : Encoding.UTF8.GetString(buffer[..(int)n]);
        }
        finally { LibC.Close(fd); }
    }

    public static void Close(int fd)
    {
        if (fd >= 0) LibC.Close(fd);
    }
}
