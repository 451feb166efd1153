using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf inspect</c>: print a compiled classic filter as an annotated listing.</summary>
public sealed class InspectCommand : ICliCommand
{
    public string Name => "inspect";
    public string Summary => "print a classic seccomp filter (raw, tcpdump -dd/-ddd, bpf_asm) as a listing";
    public string Help => """
        Usage:
          seccomp-ebpf inspect FILTER [--source]

        Prints the filter in bpf_asm syntax with absolute jump targets, seccomp_data field names
        and action names, then whether the kernel's checker accepts it. --source prints bpf_asm
        source with labels instead (it assembles back to the same filter).

        Examples:
          seccomp-ebpf compile docker.json --format raw --output docker.bpf
          seccomp-ebpf inspect docker.bpf | tail -1          # "accepted by the kernel's seccomp checker"
        """;

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, "--source");
        bool source = cli.Flag("--source");
        cli.RejectUnknown();
        if (cli.Positional.Count != 1) throw new CliUsageException("give exactly one FILTER file");

        var loaded = ClassicFilterFile.Load(cli.Positional[0]);
        if (!loaded.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf inspect: {loaded.Error}");
            return ExitCodes.BadInput;
        }
        var program = loaded.Value;
        stdout.Write(source ? ClassicDisassembler.ToSource(program) : ClassicDisassembler.ToListing(program));
        var error = ClassicChecker.Validate(program);
        stdout.WriteLine(error is null
            ? $"; {program.Length} instructions, accepted by the kernel's seccomp checker"
            : $"; {program.Length} instructions, REJECTED by the kernel's seccomp checker: {error}");
        return error is null ? ExitCodes.Ok : ExitCodes.Rejected;
    }
}
