using System.Globalization;

namespace SeccompEbpf.Classic.Text;

internal enum AsmTokenKind { Word, Number, Punct, End }

/// <summary>One token of a bpf_asm line; <see cref="Column"/> is 1-based.</summary>
internal readonly record struct AsmToken(AsmTokenKind Kind, string Text, int Column, uint Value = 0)
{
    public bool Is(string punct) => Kind == AsmTokenKind.Punct && Text == punct;
    public bool IsWord(string word) => Kind == AsmTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
    public string Describe() => Kind == AsmTokenKind.End ? "end of line" : $"'{Text}'";
}

/// <summary>Splits one line of bpf_asm text into tokens; ';' starts a comment.</summary>
internal static class AsmLexer
{
    /// <summary>Returns the tokens (ending with an End token) or the column and text of a bad character or number.</summary>
    public static (List<AsmToken> Tokens, (int Column, string Message)? Error) Lex(string line)
    {
        var tokens = new List<AsmToken>();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == ';') break;
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (char.IsLetter(c) || c == '_' || c == '.')
            {
                while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] is '_' or '.')) i++;
                tokens.Add(new AsmToken(AsmTokenKind.Word, line[start..i], start + 1));
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < line.Length && char.IsDigit(line[i + 1])))
            {
                i++;
                while (i < line.Length && char.IsLetterOrDigit(line[i])) i++;
                var text = line[start..i];
                if (!TryParseNumber(text, out uint value))
                    return (tokens, (start + 1, $"'{text}' is not a number (use decimal, 0x hex, 0b binary or 0 octal, within 32 bits)"));
                tokens.Add(new AsmToken(AsmTokenKind.Number, text, start + 1, value));
            }
            else if ("#[]+*()&,:%".Contains(c))
            {
                i++;
                tokens.Add(new AsmToken(AsmTokenKind.Punct, c.ToString(), start + 1));
            }
            else
            {
                return (tokens, (start + 1, $"unexpected character '{c}'"));
            }
        }
        tokens.Add(new AsmToken(AsmTokenKind.End, "", line.Length + 1));
        return (tokens, null);
    }

    /// <summary>bpf_asm numbers: decimal, 0x hex, 0b binary, 0-prefixed octal; a leading '-' gives the two's complement.</summary>
    public static bool TryParseNumber(string text, out uint value)
    {
        value = 0;
        bool negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        ulong magnitude;
        bool ok;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            ok = ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude) && digits.Length > 2;
        else if (digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
            ok = TryParseBase(digits[2..], 2, out magnitude);
        else if (digits.Length > 1 && digits[0] == '0')
            ok = TryParseBase(digits[1..], 8, out magnitude);
        else
            ok = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        if (!ok || magnitude > uint.MaxValue || (negative && magnitude > 0x80000000UL))
            return false;
        value = negative ? (uint)-(long)magnitude : (uint)magnitude;
        return true;
    }

    private static bool TryParseBase(string digits, int radix, out ulong value)
    {
        value = 0;
        if (digits.Length == 0) return false;
        foreach (char d in digits)
        {
            int v = d - '0';
            if (v < 0 || v >= radix) return false;
            value = value * (ulong)radix + (ulong)v;
            if (value > uint.MaxValue) return false;
        }
        return true;
    }
}
