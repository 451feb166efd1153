using System.Globalization;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// What decides an open's permission checks and a created file's owner and mode, from the caller's
/// /proc/TID/status: filesystem uid and gid, supplementary groups, effective capabilities, umask.
/// /proc shows ids in the reader's user namespace; the supervisor's own is where it switches ids, so
/// they are the right numbers for setfsuid and setgroups.
/// </summary>
internal sealed record CallerCredentials(uint FsUid, uint FsGid, uint[] Groups, ulong EffectiveCaps, uint Umask, int Tgid)
{
    public static CallerCredentials? Parse(string status)
    {
        uint? fsUid = null, fsGid = null, umask = null;
        ulong? caps = null;
        int? tgid = null;
        uint[]? groups = null;
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            switch (name)
            {
                case "Tgid": tgid = int.TryParse(value, out var t) ? t : null; break;
                case "Uid": fsUid = Last(value); break;
                case "Gid": fsGid = Last(value); break;
                case "Groups": groups = List(value); break;
                case "CapEff": caps = ulong.TryParse(value, NumberStyles.HexNumber, null, out var c) ? c : null; break;
                case "Umask": umask = TryOctal(value); break;
            }
        }
        if (fsUid is null || fsGid is null || groups is null || caps is null || umask is null || tgid is null) return null;
        return new CallerCredentials(fsUid.Value, fsGid.Value, groups, caps.Value, umask.Value, tgid.Value);
    }

    // "Uid:\treal\teffective\tsaved\tfilesystem": the filesystem id is the last of the four.
    private static uint? Last(ReadOnlySpan<char> value)
    {
        var ids = List(value);
        return ids is { Length: 4 } ? ids[3] : null;
    }

    private static uint[]? List(ReadOnlySpan<char> value)
    {
        var result = new List<uint>();
        foreach (var range in value.SplitAny(" \t"))
        {
            var token = value[range];
            if (token.IsEmpty) continue;
            if (!uint.TryParse(token, out var id)) return null;
            result.Add(id);
        }
        return result.ToArray();
    }

    private static uint? TryOctal(ReadOnlySpan<char> value)
    {
        uint result = 0;
        if (value.IsEmpty) return null;
        foreach (var ch in value)
        {
            if (ch is < '0' or > '7') return null;
            result = result * 8 + (uint)(ch - '0');
        }
        return result;
    }
}
