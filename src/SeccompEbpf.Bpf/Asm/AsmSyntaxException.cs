namespace SeccompEbpf.Bpf.Asm;

/// <summary>
/// Internal control flow of the parsers: "expected X but found Y" at a column. The assembler
/// catches it at the line boundary and turns it into a <see cref="BpfError"/> with a location;
/// it never leaves the assembler.
/// </summary>
internal sealed class AsmSyntaxException(int column, string message) : Exception(message)
{
    public int Column { get; } = column;
}
