using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>Whether a caller's descriptor table has no free number below its RLIMIT_NOFILE (only asked on an error path).</summary>
internal static unsafe class CallerFileTable
{
    private const ulong LargestCounted = 1 << 16;

    public static bool IsFull(int tid, int tgid)
    {
        ulong* limit = stackalloc ulong[2];
        if (LibC.PrLimit(tgid, OpenFlags.RLIMIT_NOFILE, null, limit) != 0 || limit[0] > LargestCounted) return false;
        var used = new bool[limit[0]];
        int count = 0;
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/{tid}/fd"))
                if (int.TryParse(Path.GetFileName(entry), out var fd) && fd >= 0 && (ulong)fd < limit[0] && !used[fd]) { used[fd] = true; count++; }
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
        return (ulong)count == limit[0];
    }
}
