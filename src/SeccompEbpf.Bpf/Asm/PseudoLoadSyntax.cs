using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// The operand of a 64-bit immediate load whose src field is a pseudo kind (RFC 9669 §5.4), the
/// same in both dialects:
/// <list type="bullet">
/// <item><c>map[N]</c> — map by index into the program's map table (src 5)</item>
/// <item><c>map_value[N]+OFF</c> — address of the value of map N, plus OFF (src 6)</item>
/// <item><c>map_fd[FD]</c>, <c>map_fd_value[FD]+OFF</c> — the same by file descriptor (src 1, 2)</item>
/// <item><c>btf_id[ID]</c> — a kernel variable by BTF id (src 3)</item>
/// <item><c>func[+N]</c> or <c>func[LABEL]</c> — address of a local function (src 4)</item>
/// </list>
/// The "+OFF" part is the second slot's imm and may be omitted when it is 0.
/// </summary>
internal static class PseudoLoadSyntax
{
    private static readonly string?[] Names = [null, "map_fd", "map_fd_value", "btf_id", "func", "map", "map_value"];

    public static string? NameOf(byte src) => src < Names.Length ? Names[src] : null;

    public static bool IsPseudoName(AsmToken token) =>
        token.Kind == AsmTokenKind.Identifier && Array.IndexOf(Names, token.Text) > 0;

    /// <summary>Parses <c>name[N]+OFF</c>; the cursor is on the name.</summary>
    public static AsmStatement Parse(TokenCursor cursor, byte dst)
    {
        var nameToken = cursor.Next();
        byte src = (byte)Array.IndexOf(Names, nameToken.Text);
        cursor.Expect("[");
        int imm = 0;
        string? label = null;
        int labelColumn = 0;
        if (src == LoadImmSource.Func && cursor.Peek().Kind == AsmTokenKind.Identifier)
        {
            var target = cursor.Next();
            label = target.Text;
            labelColumn = target.Column;
        }
        else
        {
            imm = cursor.ExpectImm32(src == LoadImmSource.Func ? "a relative instruction offset or a label" : $"the {nameToken.Text} number");
        }
        cursor.Expect("]");
        int second = 0;
        if (cursor.Peek().Is("+") || cursor.Peek().Is("-"))
            second = cursor.ExpectImm32("an offset into the value");
        var (low, high) = Instruction.LoadImm64(dst, (uint)imm | ((ulong)(uint)second << 32), src);
        return new AsmStatement([low, high], label, LabelField.Imm, labelColumn);
    }

    public static string Format(Instruction low, Instruction high, string? label)
    {
        var name = NameOf(low.Src)!;
        string inner = label ?? (low.Src == LoadImmSource.Func ? AsmNumbers.Relative(low.Imm) : low.Imm.ToString());
        string tail = high.Imm switch
        {
            0 => "",
            < 0 => $" - {-(long)high.Imm}",
            _ => $" + {high.Imm}",
        };
        return $"{name}[{inner}]{tail}";
    }
}
