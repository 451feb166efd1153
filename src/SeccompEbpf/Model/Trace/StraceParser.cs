using SeccompEbpf.Bpf;

namespace SeccompEbpf.Model.Trace;

/// <summary>
/// Reads the output of <c>strace -f -o FILE</c> (several processes, calls split into
/// "&lt;unfinished ...&gt;" and "&lt;... NAME resumed&gt;"). Best input: <c>strace -f -n -e raw=all</c>,
/// which prints the system call number and raw arguments; without <c>-n</c> the caller resolves
/// names, without <c>raw=all</c> symbolic arguments read as 0 (and are marked inexact).
/// Timestamps (-t, -tt, -ttt) and -T durations are skipped.
/// </summary>
public static class StraceParser
{
    public sealed record ParsedTrace(IReadOnlyList<object> Events, int FirstPid);

    public static BpfResult<ParsedTrace> Parse(string text, string fileName = "<trace>")
    {
        var events = new List<object>();
        var pending = new Dictionary<int, TraceCall>();
        int? firstPid = null;
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            int lineNumber = n + 1;
            if (line.Trim().Length == 0 || line.StartsWith("[ Process")) continue;

            var cursor = line.AsSpan();
            int pid = 0;
            int pidEnd = LeadingNumber(cursor);
            if (pidEnd > 0 && pidEnd < cursor.Length && char.IsWhiteSpace(cursor[pidEnd]))
            {
                pid = int.Parse(cursor[..pidEnd]);
                cursor = cursor[pidEnd..].TrimStart();
            }
            cursor = SkipTimestamp(cursor);
            int? number = null;
            if (cursor.StartsWith("["))
            {
                int close = cursor.IndexOf(']');
                if (close < 0 || !int.TryParse(cursor[1..close].Trim(), out int nr))
                    return Error(fileName, lineNumber, "expected '[ NR]' (strace -n) before the call");
                number = nr;
                cursor = cursor[(close + 1)..].TrimStart();
            }
            firstPid ??= pid;

            if (cursor.StartsWith("+++"))
            {
                events.Add(new TraceExit(lineNumber, pid, cursor.ToString()));
                continue;
            }
            if (cursor.StartsWith("---")) continue; // signals do not pass the filter
            if (cursor.StartsWith("<..."))
            {
                // "<... name resumed>...) = result": completes the call this task started earlier.
                if (pending.Remove(pid, out var started))
                    started.Result = ResultOf(cursor);
                continue;
            }

            int open = cursor.IndexOf('(');
            if (open <= 0 || !IsName(cursor[..open]))
                return Error(fileName, lineNumber, $"expected 'name(arguments) = result', found '{line.Trim()}'");
            string name = cursor[..open].ToString();
            var rest = cursor[(open + 1)..];
            bool unfinished = rest.EndsWith("<unfinished ...>");
            var (arguments, exact, consumed, strings) = SplitArguments(rest);
            var call = new TraceCall(lineNumber, pid, name, number, arguments, exact)
            {
                Strings = strings,
                CreatesThread = name == "clone" && (arguments[0] & 0x10000) != 0 || rest.Contains("CLONE_THREAD", StringComparison.Ordinal),
            };
            if (unfinished) pending[pid] = call;
            else call.Result = ResultOf(rest[consumed..]);
            events.Add(call);
        }
        return new ParsedTrace(events, firstPid ?? 0);
    }

    private static int LeadingNumber(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        return i;
    }

    // -t "12:34:56", -tt "12:34:56.123456", -ttt "1700000000.123456"
    private static ReadOnlySpan<char> SkipTimestamp(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is ':' or '.')) i++;
        return i > 0 && i < text.Length && char.IsWhiteSpace(text[i]) && text[..i].IndexOfAny(':', '.') >= 0 ? text[i..].TrimStart() : text;
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        foreach (char c in name) if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        return true;
    }

    private static string ResultOf(ReadOnlySpan<char> tail)
    {
        int eq = tail.LastIndexOf(" = ");
        if (eq < 0) return "?";
        var result = tail[(eq + 3)..].Trim();
        int duration = result.LastIndexOf(" <");
        if (duration > 0 && result.EndsWith(">") && result[(duration + 2)..^1].IndexOfAnyExcept("0123456789.") < 0)
            result = result[..duration];
        return result.ToString();
    }

    // Splits "a, b, {c, d}, "e,f") = 0" at top-level commas up to the closing parenthesis.
    private static (ulong[] Arguments, bool Exact, int Consumed, Dictionary<int, byte[]> Strings) SplitArguments(ReadOnlySpan<char> rest)
    {
        var arguments = new ulong[6];
        var strings = new Dictionary<int, byte[]>();
        bool exact = true;
        int depth = 0, start = 0, index = 0, i = 0;
        bool inString = false;
        for (; i < rest.Length; i++)
        {
            char c = rest[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c is '(' or '[' or '{') depth++;
            else if (c is ']' or '}') depth--;
            else if (c == ')' && depth > 0) depth--;
            else if ((c == ',' && depth == 0) || (c == ')' && depth == 0))
            {
                Store(rest[start..i]);
                start = i + 1;
                if (c == ')') { i++; break; }
            }
        }
        if (i >= rest.Length && start < rest.Length)
        {
            // "<unfinished ...>": the arguments so far.
            var tail = rest[start..];
            int cut = tail.IndexOf("<unfinished");
            Store(cut >= 0 ? tail[..cut] : tail);
        }
        return (arguments, exact, Math.Min(i, rest.Length), strings);

        void Store(ReadOnlySpan<char> text)
        {
            var trimmed = text.Trim().ToString();
            if (trimmed.Length == 0 || index >= 6) { if (trimmed.Length > 0) exact = false; return; }
            if (TraceNumbers.TryParse(trimmed, out ulong value)) arguments[index] = value;
            else
            {
                exact = false;
                if (TraceStrings.TryDecode(trimmed, out var bytes)) strings[index] = bytes;
            }
            index++;
        }
    }

    private static BpfError Error(string fileName, int line, string message) => new(message, Location: $"{fileName}:{line}:1");
}
