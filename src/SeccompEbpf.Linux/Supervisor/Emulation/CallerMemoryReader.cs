using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.LinuxConstants;
using static SeccompEbpf.Bpf.LinuxErrno;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// Reads a call's memory inputs the way the kernel would (a NUL-terminated path of at most PATH_MAX
/// bytes, a fixed-size struct), from a fresh read of the caller overlaid with the bytes the filter saw
/// (<see cref="CallerMemory.Overlay"/>): where the filter read, its bytes are used; elsewhere the
/// verdict did not depend on the memory, so the fresh bytes are as good as any.
/// </summary>
internal static unsafe class CallerMemoryReader
{
    private const int Page = 4096;
    public const int PathMax = 4096;
    private const int ENAMETOOLONG = 36;

    /// <summary>The path at <paramref name="address"/> (without its NUL) or an errno: EFAULT, ENAMETOOLONG, ENOENT (empty).</summary>
    public static (byte[]? Path, int Errno) ReadPath(int pid, ulong address, CallerMemory memory)
    {
        var path = new List<byte>(128);
        Span<byte> chunk = stackalloc byte[Page];
        Span<bool> known = stackalloc bool[Page];
        while (true)
        {
            int length = Page - (int)(address % Page);
            // The recorded bytes first: a path the filter read up to its NUL needs no second read.
            known[..length].Clear();
            memory.Overlay(address, chunk[..length], known[..length]);
            bool fresh = false;
            for (int i = 0; i < length; i++)
            {
                if (!known[i] && !fresh)
                {
                    fresh = true;
                    ReadFresh(pid, address, chunk[..length], known[..length]);
                    memory.Overlay(address, chunk[..length], known[..length]);
                }
                if (!known[i]) return (null, EFAULT);
                if (chunk[i] == 0) return path.Count == 0 ? (null, ENOENT) : (path.ToArray(), 0);
                if (path.Count == PathMax - 1) return (null, ENAMETOOLONG); // no room left for the NUL
                path.Add(chunk[i]);
            }
            address += (ulong)length;
        }
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="address"/>; 0 or EFAULT.</summary>
    public static int ReadExactly(int pid, ulong address, Span<byte> destination, CallerMemory memory)
    {
        Span<bool> known = stackalloc bool[Page];
        for (int done = 0; done < destination.Length;)
        {
            ulong at = address + (ulong)done;
            int length = Math.Min(destination.Length - done, Page - (int)(at % Page));
            var part = destination.Slice(done, length);
            ReadFresh(pid, at, part, known[..length]);
            memory.Overlay(at, part, known[..length]);
            if (known[..length].Contains(false)) return EFAULT;
            done += length;
        }
        return 0;
    }

    /// <summary>One read within a page: it succeeds or fails as a whole.</summary>
    private static void ReadFresh(int pid, ulong address, Span<byte> destination, Span<bool> known)
    {
        nint read;
        fixed (byte* local = destination)
        {
            var localVec = new IoVec { Base = local, Length = (nuint)destination.Length };
            var remoteVec = new IoVec { Base = (void*)address, Length = (nuint)destination.Length };
            read = LibC.ProcessVmReadv(pid, &localVec, 1, &remoteVec, 1, 0);
        }
        known.Fill(read == destination.Length);
    }
}
