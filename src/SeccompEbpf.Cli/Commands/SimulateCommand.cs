using SeccompEbpf.Bpf;
using SeccompEbpf.Cli.Files;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Simulation;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf simulate</c>: what a stack of filters decides for one call or for a recorded trace.</summary>
public sealed class SimulateCommand : ICliCommand
{
    public string Name => "simulate";
    public string Summary => "run a policy on one system call or an strace -f trace and print the verdicts";
    public string Help => $"""
        Usage:
          seccomp-ebpf simulate [POLICY] --syscall NAME|NR [--arch ARCH] [--args A,B,...] [--ip N] [--json]
          seccomp-ebpf simulate [POLICY] --trace FILE [--arch ARCH] [--all] [--json]

        What the proposed kernel answers, per filter and in total, with the policy installed as `run`
        installs it (the same filters, loaded and verified the same way; profiles compiled to the
        classic filter a runtime would install). The process starts with no_new_privs and the
        policy; children from clone/fork/vfork share it (and the eBPF maps), execve keeps it;
        per-process storage is per process.

        Policy:
        {PolicyArguments.Help}

        Options:
        {PolicyArguments.LoaderHelp}
          --syscall X                system call name (from the --arch table) or number
          --arch ARCH                the ABI of the calls (default: this machine's native one); a profile is
                                     resolved as on this machine, or for an ABI it does not run, as on a
                                     machine of that ABI
          --args LIST                up to six arguments, comma-separated (decimal, 0x hex, negative)
          --ip N                     instruction_pointer seen by the filters (default 0)
          --trace FILE               output of strace -f -o FILE CMD; names are resolved with the --arch table,
                                     string arguments are placed in the simulated process memory
          --all                      with --trace: print every call, not only those that are not allowed
          --json                     machine-readable output

        Exit codes: 0 every simulated call would run (its verdict is ALLOW or LOG), 1 at least one
        would be refused (ERRNO, KILL, TRAP; USER_NOTIF or TRACE with no one to answer), 2 usage,
        3 bad input (a policy or trace that cannot be read or loaded).

        Examples:
          seccomp-ebpf simulate --syscall kexec_load                      # fails: "final: ERRNO(1)": the default policy refuses it (exit 1)
          seccomp-ebpf simulate --profile docker.json --syscall ptrace    # "final: ALLOW": Docker allows it from kernel 4.8
          strace -f -o build.strace sh -c 'ls; exec true' > /dev/null
          seccomp-ebpf simulate --filter examples/filters/04_exec_once.o --trace build.strace   # fails: "execve(59) -> ERRNO(1)": sh's second exec
        """;

    public CommandSyntax Syntax => new([
        .. PolicyArguments.Options,
        PolicyArguments.Loader,
        CliOption.Value("--syscall", "NAME|NR") with { Completes = CompletionKind.Syscall },
        PolicyArguments.ArchOption,
        CliOption.Value("--args", "LIST"),
        CliOption.Value("--ip", "N"),
        CliOption.Value("--trace", "FILE"),
        CliOption.Flag("--all"),
        CliOption.Flag("--json"),
    ]) { Arguments = CompletionKind.None };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        var syscall = cli.Option("--syscall");
        var traceFile = cli.Option("--trace");
        var archName = cli.Option("--arch");
        var argList = cli.Option("--args");
        var ipText = cli.Option("--ip");
        bool json = cli.Flag("--json"), all = cli.Flag("--all");
        if (cli.Positional.Count > 0) throw new CliUsageException($"unexpected argument '{cli.Positional[0]}'");
        if ((syscall is null) == (traceFile is null)) throw new CliUsageException("give either --syscall NAME|NR or --trace FILE");
        var arch = archName is null ? NativeArch.Primary : PolicyArguments.ParseArch(archName);
        var policy = PolicyArguments.Read(cli, new CliReport(Name, stderr, cli)) with { Loader = PolicyArguments.ReadLoader(cli) };
        // A call of an ABI this machine runs meets the policy as run loads it; another ABI's, as on its own machine.
        if (!NativeArch.ReachableAbis.Contains(arch)) policy = policy with { Arches = NativeArch.AbisOf(arch) };

        var loaded = PolicyLoader.Load(policy);
        if (!loaded.IsOk) return Fail(stderr, loaded.Error!);
        var filters = SimulationFilters.From(loaded.Value);
        if (!filters.IsOk) return Fail(stderr, filters.Error!);
        var root = Simulator.Prepare(filters.Value);
        if (!root.IsOk) return Fail(stderr, root.Error!);

        if (syscall is not null)
        {
            var nr = Simulator.ResolveSyscall(syscall, arch);
            if (!nr.IsOk) throw new CliUsageException($"--syscall: {nr.Error!.Message}");
            var data = new SeccompData(nr.Value, arch.AuditArch(), ParseIp(ipText), ParseArgs(argList));
            var verdict = root.Value.Evaluate(in data);
            SimulationOutput.WriteCall(stdout, syscall, in data, verdict, json);
            return verdict.Action.LetsCallRun ? ExitCodes.Ok : ExitCodes.Rejected;
        }

        var traceName = CliFiles.DisplayName(traceFile!);
        var parsed = StraceParser.Parse(CliFiles.ReadText(traceFile!), traceName);
        if (!parsed.IsOk) return Fail(stderr, parsed.Error!);
        var replayed = Simulator.ReplayTrace(parsed.Value, root.Value, arch);
        if (!replayed.IsOk) return Fail(stderr, replayed.Error!);
        var report = new CliReport(Name, stderr, cli);
        foreach (var warning in replayed.Value.Warnings) report.Warning($"{traceName}: {warning}");
        SimulationOutput.WriteTrace(stdout, traceName, replayed.Value, all, json);
        return replayed.Value.Calls.All(c => c.Verdict.Action.LetsCallRun) ? ExitCodes.Ok : ExitCodes.Rejected;
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
