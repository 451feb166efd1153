using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Cli.Files;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf objdump FILE.o</c>: what a clang-built BPF object holds, and its disassembly.</summary>
public sealed class ObjdumpCommand : ICliCommand
{
    public string Name => "objdump";

    public string Summary => "show the sections, programs, maps, relocations and disassembly of a BPF object (.o)";

    public string Help => """
        Usage: seccomp-ebpf objdump [--programs] [--json] FILE.o

        Loads a BPF object built by `clang -O2 -g -target bpf -c` the way the filter loader does
        and prints:
          - its sections, license and version,
          - its maps (legacy `maps`, BTF `.maps`, and .data/.rodata/.bss as single-entry arrays)
            with type, key/value sizes (and BTF type names), max_entries and flags,
          - its programs (by section and function) with the .text sub-programs each one calls,
          - the relocations of its code sections,
          - the disassembly of each code section in LLVM syntax, laid out like `llvm-objdump -d -r`.

        Options:
          --programs   also print every program as it will run: relocated (maps by index,
                       global data as map_value[N]+OFF), sub-programs appended, source lines.
          --json       sections, maps, programs (as loaded, in LLVM syntax) and relocations as JSON.
        FILE.o may be '-' for standard input; a file that is not ELF is refused with the command that reads it.

        Exit codes: 0 ok, 2 usage error, 3 the file cannot be read or loaded (the message says why).

        Examples:
          clang -O2 -g -target bpf -c examples/filters/01_close_999.c -o close.o
          seccomp-ebpf objdump --programs close.o
        """;

    public CommandSyntax Syntax => new([CliOption.Flag("--programs"), CliOption.Flag("--json")]);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        bool programs = cli.Flag("--programs"), json = cli.Flag("--json");
        if (cli.Positional.Count != 1)
            throw new CliUsageException(cli.Positional.Count == 0 ? "missing FILE.o" : "expected one FILE.o");

        var path = cli.Positional[0];
        var loaded = BpfObjectLoader.Load(CliFiles.Expect(path, Name, InputKind.Elf), CliFiles.DisplayName(path));
        if (!loaded.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf objdump: {loaded.Error}");
            return ExitCodes.BadInput;
        }
        if (json) ObjdumpJson.Write(loaded.Value, stdout);
        else ObjectDumper.Dump(loaded.Value, stdout, programs);
        return ExitCodes.Ok;
    }
}
