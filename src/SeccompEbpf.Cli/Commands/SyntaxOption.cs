using SeccompEbpf.Bpf.Asm;

namespace SeccompEbpf.Cli.Commands;

/// <summary>The <c>--syntax conformance|llvm|auto</c> option shared by asm and disasm.</summary>
internal static class SyntaxOption
{
    public static readonly CliOption Option = CliOption.OneOf("--syntax", "SYNTAX", ["auto", "conformance", "llvm"]);

    public static AsmSyntax Parse(string? value, AsmSyntax fallback) => value?.ToLowerInvariant() switch
    {
        null => fallback,
        "auto" => AsmSyntax.Auto,
        "conformance" => AsmSyntax.Conformance,
        "llvm" or "kernel" => AsmSyntax.Llvm,
        _ => throw new CliUsageException($"--syntax must be conformance, llvm or auto, not '{value}'"),
    };
}
