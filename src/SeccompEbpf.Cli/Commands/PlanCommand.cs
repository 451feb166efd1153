using System.Text.Json;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf plan</c>: which system calls the kernel decides alone under a policy, and why the others need the supervisor.</summary>
public sealed class PlanCommand : ICliCommand
{
    public string Name => "plan";
    public string Summary => "show the static/dynamic split of a policy: kernel-only syscalls and why the others are notified";
    public string Help => $"""
        Usage:
          seccomp-ebpf plan [POLICY] [--as WHO] [--arch ARCH]... [--kernel-filter] [--json]

        The split `run` makes of the policy, for each ABI: every syscall is either kernel-only (a
        constant action, or argument tests the kernel filter makes) or notified to the supervisor,
        with the first instruction that needs run-time state (arguments, helpers, maps that can
        change). The policy is loaded as `run` loads it: eBPF filters verified for the loader, a
        filter `run` refuses is refused here.

        Policy:
        {PolicyArguments.Help}

        Options:
        {PolicyArguments.LoaderHelp}
          --arch ARCH                the ABIs to plan, repeatable (default: every ABI this machine runs,
                                     {PolicyArguments.NativeAbiNames}); the first is the machine's
          --kernel-filter            also print the kernel cBPF program
          --json                     machine-readable output

        Examples:
          seccomp-ebpf plan --filter examples/filters/02_getpid_counter.o   # "1 notified": getpid (39) alone goes to the supervisor
          seccomp-ebpf plan --profile docker.json --arch x86_64            # "0 notified": Docker's profile stays in the kernel
        """;

    public CommandSyntax Syntax => new([
        .. PolicyArguments.Options,
        PolicyArguments.Loader,
        PolicyArguments.ArchOption.Many(),
        CliOption.Flag("--kernel-filter"),
        CliOption.Flag("--json"),
    ]) { Arguments = CompletionKind.None };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        var arches = cli.Options("--arch").Select(PolicyArguments.ParseArch).ToList();
        bool json = cli.Flag("--json"), printFilter = cli.Flag("--kernel-filter");
        if (cli.Positional.Count > 0) throw new CliUsageException($"unexpected argument '{cli.Positional[0]}'");
        var policy = PolicyArguments.Read(cli, new CliReport(Name, stderr, cli)) with { Loader = PolicyArguments.ReadLoader(cli) };
        if (arches.Count > 0) policy = policy with { Arches = arches };

        var loaded = PolicyLoader.Load(policy);
        if (!loaded.IsOk) { stderr.WriteLine($"seccomp-ebpf plan: {loaded.Error}"); return ExitCodes.BadInput; }
        var plan = loaded.Value.Split;
        var kernel = KernelFilterBuilder.Build(plan);
        if (!kernel.IsOk) { stderr.WriteLine($"seccomp-ebpf plan: {kernel.Error}"); return ExitCodes.BadInput; }

        if (json) WriteJson(plan, kernel.Value.Length, stdout);
        else WriteText(plan, kernel.Value.Length, stdout);
        if (printFilter && !json)
            for (int i = 0; i < kernel.Value.Length; i++)
                stdout.WriteLine(Classic.Text.ClassicDisassembler.Format(kernel.Value[i], i));
        return ExitCodes.Ok;
    }

    private static void WriteText(SplitPlan plan, int kernelLength, TextWriter o)
    {
        o.WriteLine("policy (oldest first): " + string.Join(", ", plan.Stack.Filters.Select(f => f.Name)));
        foreach (var arch in plan.Arches)
        {
            var named = arch.NamedEntries().ToList();
            var kernelOnly = named.Where(n => n.Entry.Kind != SplitKind.Dynamic).ToList();
            var notified = named.Where(n => n.Entry.Kind == SplitKind.Dynamic).ToList();
            o.WriteLine($"{arch.Name} (audit arch 0x{arch.AuditArch:x8}): {kernelOnly.Count} syscalls kernel-only, {notified.Count} notified");
            foreach (var group in kernelOnly.Where(n => n.Entry.Kind == SplitKind.Static).GroupBy(n => n.Entry.Action).OrderBy(g => g.Count()))
                o.WriteLine($"  kernel {new SeccompAction(group.Key),-14} {group.Count(),4}: {Names(group.Select(n => n.Name))}");
            var argChecked = kernelOnly.Where(n => n.Entry.Kind == SplitKind.KernelArguments).ToList();
            if (argChecked.Count > 0)
                o.WriteLine($"  kernel by arguments  {argChecked.Count,4}: {string.Join(", ", argChecked.Select(n => $"{n.Name} (else {new SeccompAction(n.Entry.Action)})"))}");
            foreach (var (name, entry) in notified)
                o.WriteLine($"  notified  {name} ({entry.Low}): {entry.Reason} [{entry.Filter}]");
            var others = arch.Entries.Where(e => !e.IsSingle || arch.SyscallName(e.Low) is null).ToList();
            var otherKinds = others.Select(Describe).Distinct().ToList();
            o.WriteLine($"  other numbers: {(otherKinds.Count == 1 ? otherKinds[0] : "mixed: " + string.Join("; ", otherKinds.Take(4)))}");
        }
        o.WriteLine($"other arches: {Describe(plan.OtherArches)}");
        o.WriteLine($"kernel filter: {kernelLength} instructions; supervisor {(plan.NeedsSupervisor ? "needed" : "not needed")}");
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count > 40 ? $"{string.Join(", ", list.Take(8))}, ... ({list.Count - 8} more; --json lists all)" : string.Join(", ", list);
    }

    private static string Describe(SplitEntry e) => e.Kind switch
    {
        SplitKind.Dynamic => $"notified ({e.Reason} [{e.Filter}])",
        SplitKind.KernelArguments => "kernel, by arguments",
        _ => $"kernel {new SeccompAction(e.Action)}",
    };

    private static void WriteJson(SplitPlan plan, int kernelLength, TextWriter o)
    {
        object Entry(SplitEntry e, string? name) => new
        {
            low = e.Low, high = e.High, name,
            where = e.Kind == SplitKind.Dynamic ? "supervisor" : "kernel",
            kind = e.Kind.ToString(),
            action = e.Kind == SplitKind.Dynamic ? null : new SeccompAction(e.Action).ToString(),
            reason = e.Kind == SplitKind.Dynamic ? e.Reason : null,
            filter = e.Filter,
        };
        var doc = new
        {
            filters = plan.Stack.Filters.Select(f => f.Name),
            arches = plan.Arches.Select(a => new
            {
                arch = a.Name,
                auditArch = $"0x{a.AuditArch:x8}",
                entries = a.Entries.Select(e => Entry(e, e.IsSingle ? a.SyscallName(e.Low) : null)),
            }),
            otherArches = Entry(plan.OtherArches, null),
            kernelFilterInstructions = kernelLength,
            needsSupervisor = plan.NeedsSupervisor,
        };
        o.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
