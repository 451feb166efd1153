using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf verify</c>: load a program as BPF_PROG_TYPE_SECCOMP and print the verdict.</summary>
public sealed class VerifyCommand : ICliCommand
{
    public string Name => "verify";
    public string Summary => "verify an eBPF program as a seccomp filter (kernel rules, load-time helper set)";

    public string Help => $"""
        Usage: seccomp-ebpf verify FILE[:SECTION] [--as WHO] [--log-level N] [--map TYPE,KEY,VALUE,ENTRIES]...
                                        [--priv-only N] [--section S] [--json]

        Verifies FILE as a BPF_PROG_TYPE_SECCOMP program, as the proposed kernel would at load
        time, and prints the helper set chosen from the loader's privileges. FILE is raw
        bytecode (8-byte little-endian instructions), assembly text (see 'seccomp-ebpf asm --help') or an
        ELF object from clang (-target bpf -g: rejections then name the C source line). An object's
        programs are chosen as run, plan and simulate choose them: FILE.o:SECTION (or --section)
        names a section or a program; without, every program in a "seccomp" section. FILE may be
        '-' for standard input (read by its content); a JSON profile is refused with the command that reads it.

        Options:
          --as WHO         the loader: {string.Join(", ", LoaderPrivileges.Presets.Keys)}
                           (default unprivileged). unprivileged: 4096 instructions, no loops, no
                           pointer leaks, probe_read_user only for dumpable processes; ptrace: adds
                           full probe_read_user; tracing: CAP_BPF+CAP_PERFMON (loops, tracing helpers);
                           privileged: all three; lsm-refused: no helpers and no maps.
          --log-level N    0 errors only (default), 1 also branches and pruning, 2 every instruction
          --map SPEC       a map the program refers to as map[i] / map_fd[i], in order from 0:
                           TYPE is hash, array, ringbuf, queue, stack, task_storage, percpu_array...
                           e.g. --map hash,4,8,1024
          --priv-only N    the seccomp_ebpf_priv_only sysctl (0..2); 1 and 2 require CAP_BPF+CAP_PERFMON
          --section S      the same as FILE:S: verify only the program in section S (or named S).
                           Maps come from the object.
          --json           the loader, the helper set and each program's verdict, statistics,
                           proofs and error (instruction, rule, state, C line) as JSON

        Exit code 0 when the program is accepted, 1 when it is rejected, 3 for unreadable input.
        A rejection names the instruction, the rule broken and the register state there.

        Examples:
          seccomp-ebpf verify examples/asm/hello.asm --as privileged   # "accepted": its loop needs CAP_BPF
          seccomp-ebpf verify examples/asm/hello.asm                   # fails: "loops need a privileged (CAP_BPF) loader"
          seccomp-ebpf verify examples/filters/05_openat_paths.o:seccomp --as unprivileged   # "proven:"
        """;

    public CommandSyntax Syntax => new([
        PolicyArguments.Loader,
        CliOption.OneOf("--log-level", "N", ["0", "1", "2"]),
        CliOption.Value("--map", "SPEC").Many(),
        CliOption.OneOf("--priv-only", "N", ["0", "1", "2"]),
        CliOption.Value("--section", "S"),
        CliOption.Flag("--json"),
    ]);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        var who = cli.Option("--as", "unprivileged");
        var privileges = PolicyArguments.ReadLoader(cli, LoaderPrivileges.Unprivileged);
        var logLevelText = cli.Option("--log-level", "0");
        var mapSpecs = cli.Options("--map");
        var privOnlyText = cli.Option("--priv-only", "0");
        var section = cli.Option("--section");
        bool json = cli.Flag("--json");
        if (cli.Positional.Count != 1) throw new CliUsageException("expected exactly one input file");
        if (!int.TryParse(logLevelText, out int logLevel) || logLevel is < 0 or > 2)
            throw new CliUsageException($"--log-level must be 0, 1 or 2, not '{logLevelText}'");
        if (!int.TryParse(privOnlyText, out int privOnly) || privOnly is < 0 or > 2)
            throw new CliUsageException($"--priv-only must be 0, 1 or 2, not '{privOnlyText}'");
        privileges = privileges with { PrivOnlySysctl = privOnly };
        var maps = new Dictionary<int, MapSpec>();
        foreach (var mapSpec in mapSpecs) maps[maps.Count] = ParseMap(mapSpec, maps.Count);

        var named = ObjectProgramSpec.Parse(cli.Positional[0]);
        if (section is not null)
            named = named.Section is null || named.Section == section ? named with { Section = section }
                : throw new CliUsageException($"two sections named: {named} and --section {section}");
        var inputs = VerifyInputs.Read(named, maps, out var readError);
        if (inputs is null)
        {
            stderr.WriteLine($"seccomp-ebpf verify: {readError}");
            return ExitCodes.BadInput;
        }

        var helpers = SeccompHelperSet.ChooseFor(privileges);
        var results = inputs.Select(input => (input, load: SeccompProgramLoader.Load(input.Program, privileges, input.Maps, logLevel: logLevel))).ToList();
        if (json) VerifyJson.Write(stdout, who, privileges, helpers, results);
        else
        {
            stdout.WriteLine($"loader:  {who} ({privileges})");
            stdout.WriteLine($"helpers: {helpers.Description}");
            foreach (var (input, load) in results) WriteOne(input, load, logLevel, inputs.Count > 1, stdout);
        }
        return results.All(r => r.load.Loaded) ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    private static void WriteOne(VerifyInput input, SeccompLoadResult load, int logLevel, bool named, TextWriter stdout)
    {
        var prefix = named ? $"{input.Name}: " : "";
        if (load.Verification is { } v)
        {
            if (v.Log.Length > 0 && logLevel > 0) stdout.Write(v.Log);
            var stats = $"{input.Program.Length} instructions, {v.ProcessedInstructions} processed, {v.StoredStates} states stored, " +
                        $"{v.PrunedPaths} paths pruned, stack {v.MaxStackDepth} bytes, {v.Elapsed.TotalMicroseconds:F0} us";
            if (v.Accepted)
            {
                stdout.WriteLine($"{prefix}accepted: {stats}");
                // What the JIT may drop: proven accesses run without their bounds check.
                var proofs = v.Accesses;
                stdout.WriteLine($"{prefix}proven:   {proofs.ProvenSafe.Count} of {proofs.MemoryAccesses} memory accesses in bounds on every path" +
                                 (proofs.NotReached > 0 ? $" ({proofs.NotReached} never reached)" : "") +
                                 $"; termination {(v.ProvedTermination ? "proven" : "not proven")}");
                return;
            }
            stdout.WriteLine($"{prefix}rejected: {stats}");
            stdout.WriteLine(v.Error!.Describe(input.Source));
            return;
        }
        stdout.WriteLine($"{prefix}refused: {load.RefusedBecause}");
    }

    private static MapSpec ParseMap(string spec, int index)
    {
        var parts = spec.Split(',');
        if (parts.Length != 4 || !uint.TryParse(parts[1], out var key) || !uint.TryParse(parts[2], out var value) || !uint.TryParse(parts[3], out var entries))
            throw new CliUsageException($"--map '{spec}': expected TYPE,KEY_SIZE,VALUE_SIZE,MAX_ENTRIES, e.g. hash,4,8,1024");
        var typeName = parts[0].Replace("_", "");
        var type = Enum.GetValues<MapType>().FirstOrDefault(t => string.Equals(t.ToString(), typeName, StringComparison.OrdinalIgnoreCase), MapType.Unspec);
        if (type == MapType.Unspec) throw new CliUsageException($"--map '{spec}': unknown map type '{parts[0]}'");
        return new MapSpec($"map{index}", type, key, value, entries);
    }
}
