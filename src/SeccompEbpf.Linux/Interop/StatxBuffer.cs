using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Interop;

/// <summary>A struct statx buffer (the layout is the same on every architecture).</summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
internal unsafe struct StatxBuffer
{
    public const uint Type = 0x1, Mode = 0x2, Uid = 0x8, Ino = 0x100, Size = 0x200, MountId = 0x1000;
    public const uint Basic = 0x7ff;
    private fixed byte _bytes[256];

    public readonly uint FileMode => Read<ushort>(28);
    public readonly uint FileType => FileMode & OpenFlags.S_IFMT;
    public readonly ulong Inode => Read<ulong>(32);
    public readonly ulong FileSize => Read<ulong>(40);
    public readonly uint RdevMajor => Read<uint>(128);
    public readonly uint RdevMinor => Read<uint>(132);
    public readonly uint DevMajor => Read<uint>(136);
    public readonly uint DevMinor => Read<uint>(140);
    public readonly ulong MountIdValue => Read<ulong>(144);

    private readonly T Read<T>(int offset) where T : unmanaged
    {
        fixed (byte* p = _bytes) return *(T*)(p + offset);
    }

    /// <summary>statx of what <paramref name="fd"/> refers to; 0 or an errno.</summary>
    public static int Of(int fd, out StatxBuffer buffer, uint mask = Basic | MountId)
    {
        buffer = default;
        byte empty = 0;
        fixed (StatxBuffer* b = &buffer)
            return LibC.Statx(fd, &empty, OpenFlags.AT_EMPTY_PATH, mask, (byte*)b) == 0 ? 0 : LibC.LastErrno;
    }

    /// <summary>statx of <paramref name="path"/> (NUL-terminated) relative to <paramref name="dirFd"/>; 0 or an errno.</summary>
    public static int At(int dirFd, ReadOnlySpan<byte> path, int flags, out StatxBuffer buffer, uint mask = Basic | MountId)
    {
        buffer = default;
        fixed (byte* p = path)
        fixed (StatxBuffer* b = &buffer)
            return LibC.Statx(dirFd, p, flags, mask, (byte*)b) == 0 ? 0 : LibC.LastErrno;
    }
}
