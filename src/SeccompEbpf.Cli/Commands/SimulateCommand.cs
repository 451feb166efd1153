using SeccompEbpf.Bpf;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Simulation;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf simulate</c>: what a stack of filters decides for one call or for a recorded trace.</summary>
public sealed class SimulateCommand : ICliCommand
{
    private static readonly string[] FilterOptions = ["--filter", "--cbpf", "--profile"];

    public string Name => "simulate";
    public string Summary => "run filters on one system call or an strace -f trace and print the verdicts";
    public string Help => $"""
        Usage:
          seccomp-ebpf simulate FILTERS --syscall NAME|NR [--arch ARCH] [--args A,B,...] [--ip N] [--json]
          seccomp-ebpf simulate FILTERS --trace FILE [--arch ARCH] [--all] [--json]

        FILTERS, installed in the order given (the last one runs first; the lowest action wins):
          --filter FILE.o[:SECTION]  eBPF object built by clang -target bpf; loaded and verified as
                                     BPF_PROG_TYPE_SECCOMP for the loader chosen with --as
                                     (a file that is not ELF is read as a classic filter)
          --cbpf FILE                classic filter: bpf_asm text, tcpdump -ddd/-dd, raw sock_filter
          --profile FILE.json        OCI/Docker seccomp profile, compiled for --arch
        The process starts with no_new_privs and these filters; children from clone/fork/vfork
        share them (and the eBPF maps), execve keeps them; per-process storage is per process.

        Options:
          --as WHO       loader of eBPF filters: {string.Join(", ", LoaderPrivileges.Presets.Keys)} (default unprivileged)
          --syscall X    system call name (from the --arch table) or number
          --arch ARCH    x86_64 (default), x86 (i386), x32, aarch64, arm, riscv64, loongarch64,
                         m68k, mips, mipsel, mips64, mipsel64, mips64n32, mipsel64n32, parisc,
                         parisc64, ppc, ppc64, ppc64le, s390, s390x, sh, sheb
          --args LIST    up to six arguments, comma-separated (decimal, 0x hex, negative)
          --ip N         instruction_pointer seen by the filters (default 0)
          --trace FILE   output of strace -f -o FILE CMD; names are resolved with the --arch table,
                         string arguments are placed in the simulated process memory
          --all          with --trace: print every call, not only those that are not allowed
          --json         machine-readable output

        Examples:
          seccomp-ebpf simulate --profile docker.json --syscall ptrace
          seccomp-ebpf simulate --filter examples/filters/04_exec_once.o --trace build.strace
        """;

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, "--json", "--all");
        foreach (var option in FilterOptions) cli.Options(option);
        var syscall = cli.Option("--syscall");
        var traceFile = cli.Option("--trace");
        var archName = cli.Option("--arch", "x86_64");
        var argList = cli.Option("--args");
        var ipText = cli.Option("--ip");
        var who = cli.Option("--as", "unprivileged");
        bool json = cli.Flag("--json"), all = cli.Flag("--all");
        cli.RejectUnknown();
        if (cli.Positional.Count > 0) throw new CliUsageException($"unexpected argument '{cli.Positional[0]}'");

        var sources = FiltersInOrder(args);
        if (sources.Count == 0) throw new CliUsageException("give at least one --filter, --cbpf or --profile");
        if ((syscall is null) == (traceFile is null)) throw new CliUsageException("give either --syscall NAME|NR or --trace FILE");
        if (!SyscallArchInfo.TryParse(archName, out var arch)) throw new CliUsageException($"unknown --arch '{archName}' ({SyscallArchInfo.ShortNames})");
        if (!LoaderPrivileges.Presets.TryGetValue(who, out var privileges))
            throw new CliUsageException($"--as must be one of {string.Join(", ", LoaderPrivileges.Presets.Keys)}, not '{who}'");

        var filters = new List<SimulationFilter>();
        foreach (var (option, file) in sources)
        {
            var loaded = Load(option, file, arch, privileges);
            if (!loaded.IsOk) return Fail(stderr, loaded.Error!);
            filters.Add(loaded.Value);
        }
        var root = Simulator.Prepare(filters);
        if (!root.IsOk) return Fail(stderr, root.Error!);

        if (syscall is not null)
        {
            var nr = Simulator.ResolveSyscall(syscall, arch);
            if (!nr.IsOk) throw new CliUsageException($"--syscall: {nr.Error!.Message}");
            var data = new SeccompData(nr.Value, arch.AuditArch(), ParseIp(ipText), ParseArgs(argList));
            SimulationOutput.WriteCall(stdout, syscall, in data, root.Value.Evaluate(in data), json);
            return ExitCodes.Ok;
        }

        if (!File.Exists(traceFile)) return Fail(stderr, new BpfError("no such trace file", Location: traceFile));
        var parsed = StraceParser.Parse(File.ReadAllText(traceFile!), traceFile!);
        if (!parsed.IsOk) return Fail(stderr, parsed.Error!);
        var replayed = Simulator.ReplayTrace(parsed.Value, root.Value, arch);
        if (!replayed.IsOk) return Fail(stderr, replayed.Error!);
        foreach (var warning in replayed.Value.Warnings) stderr.WriteLine($"seccomp-ebpf simulate: warning: {traceFile}: {warning}");
        SimulationOutput.WriteTrace(stdout, traceFile!, replayed.Value, all, json);
        return ExitCodes.Ok;
    }

    private static BpfResult<SimulationFilter> Load(string option, string file, SyscallArch arch, LoaderPrivileges privileges)
    {
        if (option == "--profile") return FilterSources.Profile(file, arch);
        if (option == "--cbpf" || !IsElf(file)) return FilterSources.Classic(file);
        var ebpf = FilterSources.Ebpf(file, privileges);
        return ebpf.IsOk ? ebpf.Value.Filter : ebpf.Error!;
    }

    private static bool IsElf(string spec)
    {
        // FILE.o:SECTION names a file before the colon.
        string path = File.Exists(spec) || !spec.Contains(':') ? spec : spec[..spec.LastIndexOf(':')];
        if (!File.Exists(path)) return path.EndsWith(".o", StringComparison.Ordinal);
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    // Filters are installed in command-line order across the three options.
    private static List<(string Option, string File)> FiltersInOrder(string[] args)
    {
        var found = new List<(string, string)>();
        for (int i = 0; i < args.Length && args[i] != "--"; i++)
        {
            int eq = args[i].IndexOf('=');
            string name = eq > 0 ? args[i][..eq] : args[i];
            if (!FilterOptions.Contains(name)) continue;
            if (eq > 0) found.Add((name, args[i][(eq + 1)..]));
            else if (i + 1 < args.Length) found.Add((name, args[++i]));
        }
        return found;
    }

    private static int Fail(TextWriter stderr, BpfError error)
    {
        stderr.WriteLine($"seccomp-ebpf simulate: {error}");
        return ExitCodes.BadInput;
    }

    private static SeccompArgs ParseArgs(string? list)
    {
        var arguments = new SeccompArgs();
        var parts = list is null ? [] : list.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 6) throw new CliUsageException($"--args takes at most six arguments, got {parts.Length}");
        for (int i = 0; i < parts.Length; i++)
            if (!TraceNumbers.TryParse(parts[i], out arguments[i]))
                throw new CliUsageException($"argument {i} '{parts[i]}' is not a number");
        return arguments;
    }

    private static ulong ParseIp(string? text)
    {
        if (text is null) return 0;
        return TraceNumbers.TryParse(text, out ulong ip) ? ip : throw new CliUsageException($"--ip '{text}' is not a number");
    }
}
