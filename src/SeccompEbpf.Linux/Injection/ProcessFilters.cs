using System.Globalization;

namespace SeccompEbpf.Linux.Injection;

/// <summary>What /proc tells about a process's seccomp filters, threads and memory (for the injector).</summary>
internal static class ProcessFilters
{
    /// <summary>The "Seccomp_filters:" count of /proc/PID/status, or null when the process is gone or the kernel does not say.</summary>
    public static int? Count(int pid)
    {
        foreach (var line in ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("Seccomp_filters:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(16).Trim(), out var count))
                return count;
        return null;
    }

    /// <summary>A thread that is running or sleeping (not stopped, traced, exiting or a zombie); the main thread first.</summary>
    public static int? RunnableThread(int tgid)
    {
        IEnumerable<string> tasks;
        try { tasks = Directory.EnumerateDirectories($"/proc/{tgid}/task").ToList(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        var tids = tasks.Select(t => int.TryParse(Path.GetFileName(t), out var tid) ? tid : -1).Where(t => t > 0)
            .OrderBy(t => t == tgid ? 0 : 1).ThenBy(t => t);
        foreach (var tid in tids)
            if (State(tid) is 'R' or 'S' or 'D') return tid;
        return null;
    }

    private static char? State(int tid)
    {
        var stat = ReadLines($"/proc/{tid}/stat").FirstOrDefault();
        var close = stat?.LastIndexOf(')') ?? -1;
        return close >= 0 && close + 2 < stat!.Length ? stat[close + 2] : null;
    }

    public readonly record struct Region(ulong Start, ulong End, string Permissions, string Name);

    /// <summary>The first mapping whose name is <paramref name="name"/> (e.g. "[vdso]").</summary>
    public static Region? Mapping(int tid, string name) => Regions(tid).Cast<Region?>().FirstOrDefault(r => r!.Value.Name == name);

    /// <summary>True when [start, end) lies in one private read-write mapping.</summary>
    public static bool IsWritableStack(int tid, ulong start, ulong end) =>
        Regions(tid).Any(r => r.Start <= start && end <= r.End && r.Permissions.StartsWith("rw", StringComparison.Ordinal));

    private static IEnumerable<Region> Regions(int tid)
    {
        foreach (var line in ReadLines($"/proc/{tid}/maps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            var dash = fields.Length > 1 ? fields[0].IndexOf('-') : -1;
            if (dash < 0) continue;
            if (!ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, null, out var start)
                || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, null, out var end)) continue;
            yield return new Region(start, end, fields[1], fields.Length > 5 ? fields[5].Trim() : "");
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try { return File.ReadAllLines(path); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }
}
