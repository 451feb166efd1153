using System.Globalization;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// Splits one line of assembly into tokens. Comments start with <c>#</c>, <c>;</c> or <c>//</c>.
/// Signed comparison and signed arithmetic operators of the LLVM dialect (<c>s&lt;=</c>,
/// <c>s/=</c>, <c>s&gt;&gt;=</c>) are single tokens.
/// </summary>
internal static class AsmLexer
{
    // Longest first, so that maximal munch picks "<<=" over "<" and "s>=" over "s>".
    private static readonly string[] Operators =
    [
        "s>>=", "s<=", "s>=", "s/=", "s%=", "<<=", ">>=", "s<", "s>",
        "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
        "(", ")", "[", "]", ",", "+", "-", "*", "/", ":", "=", "<", ">", "&", "|", "^", "!", "~", "%", "#",
    ];

    public static int CommentStart(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && IsHelperIdMark(line, i)) continue;
            if (line[i] is '#' or ';') return i;
            if (line[i] == '/' && i + 1 < line.Length && line[i + 1] == '/') return i;
        }
        return line.Length;
    }

    public static List<AsmToken> Tokenize(string line)
    {
        var tokens = new List<AsmToken>();
        int end = CommentStart(line);
        int i = 0;
        while (i < end)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (c == 's' && (i == 0 || !IsWordChar(line[i - 1])) && TryOperator(line, i, end, out var signedOp) && signedOp[0] == 's')
            {
                tokens.Add(new AsmToken(AsmTokenKind.Punct, signedOp, start + 1));
                i += signedOp.Length;
                continue;
            }
            if (IsWordStart(c) || char.IsAsciiDigit(c))
            {
                while (i < end && IsWordChar(line[i])) i++;
                tokens.Add(Word(line[start..i], start + 1));
                continue;
            }
            if (c == '%' && i + 1 < end && char.IsAsciiLetter(line[i + 1]))
            {
                i++;
                while (i < end && IsWordChar(line[i])) i++;
                tokens.Add(new AsmToken(AsmTokenKind.Register, line[start..i], start + 1));
                continue;
            }
            if (TryOperator(line, i, end, out var op) && op[0] != 's')
            {
                tokens.Add(new AsmToken(AsmTokenKind.Punct, op, start + 1));
                i += op.Length;
                continue;
            }
            // Anything else is a one-character token the parsers will reject with its column.
            tokens.Add(new AsmToken(AsmTokenKind.Punct, c.ToString(), start + 1));
            i++;
        }
        tokens.Add(new AsmToken(AsmTokenKind.End, "", end + 1));
        return tokens;
    }

    private static AsmToken Word(string text, int column)
    {
        if (!char.IsAsciiDigit(text[0])) return new AsmToken(AsmTokenKind.Identifier, text, column);
        bool hex = text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X';
        var digits = hex ? text.AsSpan(2) : text.AsSpan();
        var style = hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        foreach (var d in digits)
            if (hex ? !char.IsAsciiHexDigit(d) : !char.IsAsciiDigit(d))
                return new AsmToken(AsmTokenKind.Identifier, text, column); // "12abc": not a number
        bool fits = ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var value);
        return new AsmToken(AsmTokenKind.Number, text, column, value, NumberOverflows: !fits);
    }

    private static bool TryOperator(string line, int i, int end, out string op)
    {
        foreach (var candidate in Operators)
            if (i + candidate.Length <= end && string.CompareOrdinal(line, i, candidate, 0, candidate.Length) == 0)
            {
                op = candidate;
                return true;
            }
        op = "";
        return false;
    }

    /// <summary>
    /// The '#' of a verifier log's <c>call bpf_map_lookup_elem#1</c>: glued to a word on the left
    /// and a digit on the right. A comment '#' is preceded by white space or starts the line.
    /// </summary>
    private static bool IsHelperIdMark(string line, int i) =>
        i > 0 && IsWordChar(line[i - 1]) && i + 1 < line.Length && char.IsAsciiDigit(line[i + 1]);

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c is '_' or '.';
    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';
}
