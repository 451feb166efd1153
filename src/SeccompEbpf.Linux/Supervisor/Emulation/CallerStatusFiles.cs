using System.Text;
using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// /proc/TID/status of callers, kept open: procfs regenerates the file on every read from offset 0,
/// so a pread gives the current credentials without an open and a close per emulated call. An open
/// /proc/TID file belongs to that task, not to the number: once the task is gone its reads fail
/// (ESRCH), and the file is opened again, for whichever task has the number now (the supervisor checks
/// that the call is still pending after reading). At most <see cref="Capacity"/> files stay open.
/// </summary>
internal sealed unsafe class CallerStatusFiles
{
    private const int Capacity = 128;
    private readonly Dictionary<int, int> _files = new();
    private readonly int _ownProc;

    public CallerStatusFiles(int ownProc) => _ownProc = ownProc;

    /// <summary>The status text of thread <paramref name="tid"/>, or null when there is no such thread.</summary>
    public string? Read(int tid)
    {
        if (_files.TryGetValue(tid, out var fd) && ReadAt(fd) is { } kept) return kept;
        Forget(tid);
        if (_files.Count >= Capacity) Clear();
        fd = NativePath.OpenAt(_ownProc, NativePath.Z($"{tid}/status"), OpenFlags.O_RDONLY);
        if (fd < 0) return null;
        _files[tid] = fd;
        return ReadAt(fd);
    }

    private static string? ReadAt(int fd)
    {
        Span<byte> buffer = stackalloc byte[8192];
        nint n;
        fixed (byte* b = buffer) n = LibC.PRead(fd, b, (nuint)buffer.Length, 0);
        return n <= 0 ? null : Encoding.UTF8.GetString(buffer[..(int)n]);
    }

    private void Forget(int tid)
    {
        if (_files.Remove(tid, out var fd)) NativePath.Close(fd);
    }

    private void Clear()
    {
        foreach (var fd in _files.Values) NativePath.Close(fd);
        _files.Clear();
    }
}
