using System.Text.Json;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Cli.Files;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf inspect</c>: print a compiled classic filter as an annotated listing.</summary>
public sealed class InspectCommand : ICliCommand
{
    public string Name => "inspect";
    public string Summary => "print a classic seccomp filter (raw, tcpdump -dd/-ddd, bpf_asm) as a listing";
    public string Help => """
        Usage:
          seccomp-ebpf inspect FILTER [--source | --json]

        Prints the filter in bpf_asm syntax with absolute jump targets, seccomp_data field names
        and action names, then whether the kernel's checker accepts it. --source prints bpf_asm
        source with labels instead (it assembles back to the same filter). FILTER may be '-' for
        standard input; an ELF object (eBPF) or a JSON profile is refused with the command that reads it.

        Options:
          --source     bpf_asm source with labels instead of the listing
          --json       the instructions (code, jt, jf, k, text) and the checker's verdict as JSON

        Exit codes: 0 accepted by the kernel's checker, 1 refused by it, 3 unreadable input.

        Examples:
          seccomp-ebpf compile docker.json --format raw --output docker.bpf
          seccomp-ebpf inspect docker.bpf | tail -1          # "accepted by the kernel's seccomp checker"
          seccomp-ebpf compile docker.json --format raw -o - 2> /dev/null | seccomp-ebpf inspect --json - | grep -c '"code"'
        """;

    public CommandSyntax Syntax => new([CliOption.Flag("--source"), CliOption.Flag("--json")]);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        bool source = cli.Flag("--source"), json = cli.Flag("--json");
        if (source && json) throw new CliUsageException("give --source or --json, not both");
        if (cli.Positional.Count != 1) throw new CliUsageException("give exactly one FILTER file (or '-' for standard input)");

        var path = cli.Positional[0];
        var loaded = ClassicFilterFile.Parse(CliFiles.Expect(path, Name, InputKind.Text, InputKind.Binary), CliFiles.DisplayName(path));
        if (!loaded.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf inspect: {loaded.Error}");
            return ExitCodes.BadInput;
        }
        var program = loaded.Value;
        var error = ClassicChecker.Validate(program);
        if (json) WriteJson(program, error, stdout);
        else
        {
            stdout.Write(source ? ClassicDisassembler.ToSource(program) : ClassicDisassembler.ToListing(program));
            stdout.WriteLine(error is null
                ? $"; {program.Length} instructions, accepted by the kernel's seccomp checker"
                : $"; {program.Length} instructions, REJECTED by the kernel's seccomp checker: {error}");
        }
        return error is null ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    private static void WriteJson(ClassicInstruction[] program, Bpf.BpfError? error, TextWriter stdout)
    {
        var doc = new
        {
            count = program.Length,
            accepted = error is null,
            error = error?.ToString(),
            instructions = program.Select((i, index) => new { index, code = i.Code, jt = i.Jt, jf = i.Jf, k = i.K, text = ClassicDisassembler.Format(i, index) }),
        };
        stdout.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
