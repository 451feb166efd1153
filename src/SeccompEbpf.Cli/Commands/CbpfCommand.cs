using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Cli.Files;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf cbpf</c>: check, list and convert classic seccomp filters.</summary>
public sealed class CbpfCommand : ICliCommand
{
    public string Name => "cbpf";
    public string Summary => "check, disassemble and convert classic BPF seccomp filters";
    public string Help => """
        Usage:
          seccomp-ebpf cbpf check FILE              the kernel's seccomp checks; exit 1 when refused
          seccomp-ebpf cbpf disasm FILE             tcpdump -d style listing with seccomp notes
          seccomp-ebpf cbpf convert FILE --to FORMAT [--output OUT]

        FILE may be bpf_asm text, tcpdump -ddd or -dd output, or raw sock_filter bytes (detected), or
        '-' for standard input; OUT may be '-' for standard output (as without --output).
        FORMAT: asm (bpf_asm source), ddd (tcpdump -ddd), dd (C array rows), bin (raw sock_filter),
        ebpf-count (how many eBPF instructions the kernel converts it to, which its 32,768 limit counts).

        Examples:
          seccomp-ebpf compile docker.json --format asm > docker.asm 2> /dev/null
          seccomp-ebpf cbpf check docker.asm                              # "accepted, 368 instructions"
          seccomp-ebpf cbpf convert docker.asm --to bin --output docker.bpf
        """;

    private static readonly string[] Actions = ["check", "disasm", "convert"];

    public CommandSyntax Syntax => new([
        CliOption.OneOf("--to", "FORMAT", ["asm", "ddd", "dd", "bin", "ebpf-count"]),
        CliOption.Value("--output", "OUT", "-o") with { Completes = CompletionKind.File },
    ]) { Verbs = Actions };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        var to = cli.Option("--to");
        var output = cli.Option("--output");
        if (cli.Positional.Count != 2) throw new CliUsageException("expected an action (check, disasm, convert) and a FILE");
        var (action, path) = (cli.Positional[0], cli.Positional[1]);
        if (!Actions.Contains(action)) throw new CliUsageException($"unknown action '{action}'{Bpf.NearestName.Hint(action, Actions)} (check, disasm, convert)");
        if (action != "convert" && (to ?? output) is not null) throw new CliUsageException("--to and --output belong to 'cbpf convert'");
        var file = CliFiles.DisplayName(path);

        var loaded = ClassicFilterFile.Parse(CliFiles.Expect(path, $"cbpf {action}", InputKind.Text, InputKind.Binary), file);
        if (!loaded.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf cbpf: {loaded.Error}");
            return ExitCodes.BadInput;
        }
        var program = loaded.Value;
        switch (action)
        {
            case "check":
                if (ClassicChecker.Validate(program) is { } error)
                {
                    stdout.WriteLine($"{file}: refused (EINVAL): {error}");
                    return ExitCodes.Rejected;
                }
                stdout.WriteLine($"{file}: accepted, {program.Length} instructions ({ClassicKernelCost.ConvertedLength(ClassicChecker.Check(program).Value)} after the kernel's conversion)");
                return ExitCodes.Ok;
            case "disasm":
                stdout.Write(ClassicDisassembler.ToListing(program));
                return ExitCodes.Ok;
            case "convert":
                return Convert(program, file, to ?? throw new CliUsageException("convert needs --to FORMAT"), output, stdout, stderr);
            default:
                throw new InvalidOperationException($"action '{action}' checked above");
        }
    }

    private static int Convert(ClassicInstruction[] program, string file, string format, string? output, TextWriter stdout, TextWriter stderr)
    {
        if (format == "bin")
        {
            if (output is null) throw new CliUsageException("--to bin writes binary: give --output FILE (or -o - for standard output)");
            CliFiles.WriteBytes(output, ClassicBinaryFormat.Write(program), stdout);
            return ExitCodes.Ok;
        }
        string text;
        switch (format)
        {
            case "asm": text = ClassicDisassembler.ToSource(program); break;
            case "ddd": text = ClassicNumericFormats.ToTcpdumpDecimal(program); break;
            case "dd": text = ClassicNumericFormats.ToCArray(program); break;
            case "ebpf-count":
                var checkedProgram = ClassicChecker.Check(program);
                if (!checkedProgram.IsOk)
                {
                    stderr.WriteLine($"seccomp-ebpf cbpf: {file}: {checkedProgram.Error}");
                    return ExitCodes.Rejected;
                }
                text = $"{ClassicKernelCost.ConvertedLength(checkedProgram.Value)}\n";
                break;
            default:
                throw new CliUsageException($"unknown --to '{format}' (asm, ddd, dd, bin, ebpf-count)");
        }
        CliFiles.WriteText(output, text, stdout);
        return ExitCodes.Ok;
    }
}
