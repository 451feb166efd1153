using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Cli.Files;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf disasm</c>: eBPF bytecode to assembly text that re-assembles to the same bytes.</summary>
public sealed class DisasmCommand : ICliCommand
{
    public string Name => "disasm";
    public string Summary => "disassemble eBPF bytecode (raw or hex) into LLVM/kernel or conformance syntax";

    public string Help => """
        Usage: seccomp-ebpf disasm FILE.bin [--hex-input] [--syntax llvm|conformance]
                                   [--labels] [--listing] [-o FILE.s]

        Prints one instruction per line. The output assembles back to exactly the same bytes
        with 'seccomp-ebpf asm' (slots that break the ISA's rules print as '.raw 0x...' with a
        comment saying why). FILE may be '-' for standard input. An ELF object is refused (its
        code is in sections: 'seccomp-ebpf objdump FILE.o' disassembles them).

        Options:
          --hex-input        the input is hex text, bytes in wire order (white space
                             ignored), e.g. the output of 'seccomp-ebpf asm'. (A 64-bit
                             word like a conformance test's 0x...95 is little-endian:
                             write it as '.raw 0x...' and use asm instead.)
          --syntax S         llvm (default: r0 = 1, if r1 > 5 goto +2) or
                             conformance (mov %r0, 1, jgt %r1, 5, +2)
          --labels           name jump targets L<index>: instead of printing +N/-N
          --listing          prefix lines with the slot index and bytes, like llvm-objdump -d
          -o, --output FILE  write the text to FILE ('-': standard output, as without -o)

        Examples:
          printf 'b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00' | seccomp-ebpf disasm --hex-input -
            r0 = 0x2a
            exit
        """;

    public CommandSyntax Syntax => new([
        CliOption.Flag("--hex-input"),
        CliOption.OneOf("--syntax", "SYNTAX", ["llvm", "conformance"]),
        CliOption.Flag("--labels"),
        CliOption.Flag("--listing"),
        CliOption.Value("--output", "FILE", "-o"),
    ]);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        bool hexInput = cli.Flag("--hex-input");
        var options = new DisassemblyOptions
        {
            Syntax = SyntaxOption.Parse(cli.Option("--syntax"), AsmSyntax.Llvm),
            Labels = cli.Flag("--labels"),
            Listing = cli.Flag("--listing"),
        };
        var output = cli.Option("--output");
        if (cli.Positional.Count != 1) throw new CliUsageException("expected exactly one input file (or '-' for standard input)");

        var path = cli.Positional[0];
        var name = CliFiles.DisplayName(path);
        byte[] bytes;
        if (hexInput)
        {
            var parsed = HexText.Parse(System.Text.Encoding.UTF8.GetString(CliFiles.Expect(path, "disasm --hex-input", InputKind.Text)));
            if (!parsed.IsOk)
            {
                stderr.WriteLine($"seccomp-ebpf disasm: {name}: {parsed.Error}");
                return ExitCodes.BadInput;
            }
            bytes = parsed.Value;
        }
        else
        {
            bytes = CliFiles.ReadBytes(path);
            if (InputKinds.Of(bytes) == InputKind.Text)
                throw new CliInputException($"{name} is text, not bytecode: give --hex-input for hex text ('seccomp-ebpf asm' output); eBPF assembly is read by 'seccomp-ebpf asm {name}'");
            bytes = CliFiles.Expect(path, Name, bytes, InputKind.Binary);
        }

        var program = InstructionCodec.DecodeProgram(bytes);
        if (!program.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf disasm: {name}: {program.Error}");
            return ExitCodes.BadInput;
        }
        CliFiles.WriteText(output, Disassembler.Format(program.Value, options), stdout);
        return ExitCodes.Ok;
    }
}
