namespace SeccompEbpf.Bpf.Asm;

/// <summary>Reads the tokens of one line left to right; every Expect* names what it wanted.</summary>
internal sealed class TokenCursor(List<AsmToken> tokens)
{
    private int _position;

    public AsmToken Peek(int ahead = 0) => tokens[Math.Min(_position + ahead, tokens.Count - 1)];
    public AsmToken Next() { var t = Peek(); if (_position < tokens.Count - 1) _position++; return t; }
    public bool AtEnd => Peek().Kind == AsmTokenKind.End;

    public bool TryTake(string text)
    {
        if (!Peek().Is(text)) return false;
        Next();
        return true;
    }

    public AsmToken Expect(string text, string? what = null)
    {
        var t = Peek();
        if (!t.Is(text)) throw Fail(t, what ?? $"'{text}'");
        return Next();
    }

    public AsmToken ExpectIdentifier(string what)
    {
        var t = Peek();
        if (t.Kind != AsmTokenKind.Identifier) throw Fail(t, what);
        return Next();
    }

    public void ExpectEnd()
    {
        var t = Peek();
        if (t.Kind != AsmTokenKind.End) throw Fail(t, "end of line");
    }

    public static AsmSyntaxException Fail(AsmToken found, string expected) =>
        new(found.Column, $"expected {expected} but found {found.Describe()}");

    /// <summary>
    /// An optionally signed integer literal (<c>-3</c>, <c>+0x10</c>, <c>42</c>) as a 65-bit
    /// magnitude and sign; range checks are the caller's, so the message can name the field.
    /// </summary>
    public (bool Negative, ulong Magnitude, bool Hex, AsmToken Token) ExpectInteger(string what)
    {
        var first = Peek();
        bool negative = false;
        if (first.Is("-") || first.Is("+"))
        {
            negative = first.Is("-");
            Next();
        }
        var number = Peek();
        if (number.Kind != AsmTokenKind.Number) throw Fail(number, what);
        Next();
        if (number.NumberOverflows)
            throw new AsmSyntaxException(first.Column, $"expected {what} but found '{number.Text}', which does not fit in 64 bits");
        bool hex = number.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return (negative, number.Number, hex, first);
    }

    /// <summary>
    /// A 32-bit immediate: signed decimal in [-2^31, 2^31), or hex up to 0xffffffff (taken as
    /// the bit pattern, so 0xffffffff is -1), optionally negated.
    /// </summary>
    public int ExpectImm32(string what = "an immediate")
    {
        var (negative, magnitude, hex, token) = ExpectInteger(what);
        long value = ToSigned(negative, magnitude, token, what);
        if (hex && !negative && magnitude <= uint.MaxValue) return (int)(uint)magnitude;
        if (value < int.MinValue || value > int.MaxValue)
            throw new AsmSyntaxException(token.Column,
                $"expected {what} in the 32-bit range [-2147483648, 2147483647] (or 0x0..0xffffffff) but found {Text(negative, magnitude, hex)}");
        return (int)value;
    }

    /// <summary>A 16-bit offset: signed decimal in [-32768, 32767], or hex up to 0xffff as a bit pattern.</summary>
    public short ExpectOffset16(string what = "an offset")
    {
        var (negative, magnitude, hex, token) = ExpectInteger(what);
        long value = ToSigned(negative, magnitude, token, what);
        if (hex && !negative && magnitude <= ushort.MaxValue) return (short)(ushort)magnitude;
        if (value < short.MinValue || value > short.MaxValue)
            throw new AsmSyntaxException(token.Column,
                $"expected {what} in the 16-bit range [-32768, 32767] but found {Text(negative, magnitude, hex)}");
        return (short)value;
    }

    /// <summary>A 64-bit immediate: any value that fits in 64 bits, signed or unsigned.</summary>
    public ulong ExpectImm64(string what = "a 64-bit immediate")
    {
        var (negative, magnitude, hex, token) = ExpectInteger(what);
        if (!negative) return magnitude;
        if (magnitude > 1UL << 63)
            throw new AsmSyntaxException(token.Column, $"expected {what} but found {Text(negative, magnitude, hex)}, below -2^63");
        return (ulong)(-(long)(magnitude - 1) - 1);
    }

    private static long ToSigned(bool negative, ulong magnitude, AsmToken token, string what)
    {
        if (magnitude > long.MaxValue)
            throw new AsmSyntaxException(token.Column, $"expected {what} but found {Text(negative, magnitude, false)}, which is out of range");
        return negative ? -(long)magnitude : (long)magnitude;
    }

    private static string Text(bool negative, ulong magnitude, bool hex) =>
        (negative ? "-" : "") + (hex ? $"0x{magnitude:x}" : magnitude.ToString());
}
