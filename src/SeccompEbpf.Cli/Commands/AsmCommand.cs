using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Cli.Files;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf asm</c>: assembly text to eBPF bytecode.</summary>
public sealed class AsmCommand : ICliCommand
{
    public string Name => "asm";
    public string Summary => "assemble eBPF assembly (conformance or LLVM/kernel syntax) into bytecode";

    public string Help => """
        Usage: seccomp-ebpf asm FILE.s [-o FILE.bin] [--hex] [--syntax conformance|llvm|auto]

        Assembles one eBPF program. FILE.s may be '-' for standard input. Without -o the
        bytecode is printed as hex, one 8-byte instruction per line; with -o it is written as
        raw little-endian bytes (or as hex text with --hex); -o - writes the raw bytes to standard output.

        Two syntaxes are read (auto-detected from the first line that differs):
          conformance  the BPF conformance suite's:   mov32 %r0, 1   ldxw %r0, [%r1+2]
                       jeq %r1, 0, L1   lock fetch add [%r10-8], %r1   call 5   exit
          llvm         llvm-objdump/verifier logs':    w0 = 1   r0 = *(u32 *)(r1 + 2)
                       if r1 == 0 goto L1   r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)
        Both: labels (NAME:), comments (# ; //), relative jumps (+2, -3), pasted
        'llvm-objdump -d' or verifier-log lines, '.raw 0x0000000000000095' for a raw slot.
        64-bit loads of maps (llvm syntax): r1 = map[0] ll, r1 = map_value[0] + 16 ll,
        r1 = map_fd[FD] ll, r1 = func[LABEL] ll (conformance: lddw %r1, map[0]).

        Options:
          -o, --output FILE  write the bytecode to FILE ('-': standard output) instead of printing hex
          --hex              print/write hex text instead of raw bytes
          --syntax S         conformance, llvm or auto (default auto)

        Errors name FILE:LINE:COLUMN and what was expected (exit code 3; also for a file with no
        instructions). Instructions that
        assemble but break the ISA's rules (e.g. from .raw) are reported as warnings.

        Examples:
          printf 'r0 = 42\nexit\n' | seccomp-ebpf asm -
            b7 00 00 00 2a 00 00 00
            95 00 00 00 00 00 00 00
          seccomp-ebpf asm examples/asm/hello.asm -o hello.bin
        """;

    public CommandSyntax Syntax => new([
        CliOption.Value("--output", "FILE", "-o"),
        CliOption.Flag("--hex"),
        SyntaxOption.Option,
    ]);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        var output = cli.Option("--output");
        bool hex = cli.Flag("--hex") || output is null;
        var syntax = SyntaxOption.Parse(cli.Option("--syntax"), AsmSyntax.Auto);
        if (cli.Positional.Count != 1) throw new CliUsageException("expected exactly one input file (or '-' for standard input)");

        var path = cli.Positional[0];
        var name = CliFiles.DisplayName(path);
        var text = System.Text.Encoding.UTF8.GetString(CliFiles.Expect(path, Name, InputKind.Text));
        var result = Assembler.Assemble(text, name, syntax);
        if (!result.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf asm: {result.Error}");
            return ExitCodes.BadInput;
        }
        if (result.Value.Length == 0)
        {
            // Writing an empty file would only move the error to whoever loads it.
            stderr.WriteLine($"seccomp-ebpf asm: {name}: no instructions: a program needs at least one (e.g. 'exit'); nothing written");
            return ExitCodes.BadInput;
        }
        foreach (var problem in InstructionValidator.FindErrors(result.Value))
            stderr.WriteLine($"seccomp-ebpf asm: warning: {problem}");

        var bytes = InstructionCodec.EncodeProgram(result.Value);
        if (hex) CliFiles.WriteText(output, HexText.FormatSlots(bytes), stdout);
        else CliFiles.WriteBytes(output!, bytes, stdout);
        return ExitCodes.Ok;
    }
}
