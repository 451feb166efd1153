using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// The thread that made a notified call, as a decider may inspect it. Every read is followed by a
/// SECCOMP_IOCTL_NOTIF_ID_VALID check: if the thread died (and its pid may have been reused) or the
/// call was interrupted, the data read cannot be trusted and the read reports failure.
/// Values read here can still change after the check (another thread of the target may write the
/// memory): decide on copies, never on the assumption that the target sees the same bytes later.
/// </summary>
public readonly struct NotifiedProcess
{
    private readonly SeccompListener _listener;
    private readonly ulong _id;

    public int Pid { get; }

    internal NotifiedProcess(SeccompListener listener, ulong id, int pid)
    {
        _listener = listener;
        _id = id;
        Pid = pid;
    }

    /// <summary>True while the notified call is still pending (the pid still names the same thread).</summary>
    public bool IsStillValid => _listener.IsIdValid(_id);

    /// <summary>Copies <paramref name="destination"/>.Length bytes from the thread's memory; false if unreadable or stale.</summary>
    public unsafe bool TryReadMemory(ulong address, Span<byte> destination)
    {
        if (destination.IsEmpty) return IsStillValid;
        fixed (byte* local = destination)
        {
            var localVec = new IoVec { Base = local, Length = (nuint)destination.Length };
            var remoteVec = new IoVec { Base = (void*)address, Length = (nuint)destination.Length };
            var read = LibC.ProcessVmReadv(Pid, &localVec, 1, &remoteVec, 1, 0);
            if (read != destination.Length) return false;
        }
        return IsStillValid;
    }

    /// <summary>
    /// Reads a NUL-terminated string of at most <paramref name="maxBytes"/> bytes (without the NUL).
    /// Null if unreadable, stale, or not terminated within the limit.
    /// </summary>
    public byte[]? TryReadString(ulong address, int maxBytes = 4096)
    {
        // Read page-sized chunks that never cross a page boundary: the next page may be unmapped.
        const int Page = 4096;
        var result = new List<byte>(64);
        Span<byte> chunk = stackalloc byte[Page];
        while (result.Count <= maxBytes)
        {
            var inPage = Page - (int)(address % Page);
            var part = chunk[..inPage];
            if (!TryReadMemory(address, part)) return null;
            var nul = part.IndexOf((byte)0);
            if (nul >= 0)
            {
                if (result.Count + nul > maxBytes) return null;
                result.AddRange(part[..nul]);
                return result.ToArray();
            }
            result.AddRange(part);
            address += (ulong)inPage;
        }
        return null;
    }

    /// <summary>Real, effective, saved and filesystem ids from /proc/PID/status; null if the thread is gone.</summary>
    public ProcessIds? TryReadIds()
    {
        string text;
        try { text = File.ReadAllText($"/proc/{Pid}/status"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        var ids = ProcessIds.Parse(text);
        return ids is not null && IsStillValid ? ids : null;
    }

    /// <summary>The thread group (process) id of the thread, from /proc/PID/status; null if it is gone.</summary>
    public int? TryReadTgid()
    {
        string text;
        try { text = File.ReadAllText($"/proc/{Pid}/status"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        var tgid = ProcessIds.ParseField(text, "Tgid:");
        return tgid is { } t && IsStillValid ? (int)t[0] : null;
    }
}

/// <summary>User and group ids of a thread (from the "Uid:" and "Gid:" lines of /proc/PID/status).</summary>
public sealed record ProcessIds(uint RealUid, uint EffectiveUid, uint SavedUid, uint FsUid, uint RealGid, uint EffectiveGid, uint SavedGid, uint FsGid, int Tgid)
{
    public static ProcessIds? Parse(string status)
    {
        var uid = ParseField(status, "Uid:");
        var gid = ParseField(status, "Gid:");
        var tgid = ParseField(status, "Tgid:");
        if (uid is not { Length: 4 } || gid is not { Length: 4 } || tgid is not { Length: 1 }) return null;
        return new ProcessIds(uid[0], uid[1], uid[2], uid[3], gid[0], gid[1], gid[2], gid[3], (int)tgid[0]);
    }

    internal static uint[]? ParseField(string status, string name)
    {
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith(name)) continue;
            var values = new List<uint>();
            foreach (var range in line[name.Length..].Split('\t'))
            {
                var token = line[name.Length..][range].Trim();
                if (token.IsEmpty) continue;
                if (!uint.TryParse(token, out var value)) return null;
                values.Add(value);
            }
            return values.ToArray();
        }
        return null;
    }
}
