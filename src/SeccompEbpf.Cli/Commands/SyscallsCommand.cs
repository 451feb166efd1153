using System.Text.Json;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf syscalls</c>: system-call names and numbers per ABI (like scmp_sys_resolver), and the groups.</summary>
public sealed class SyscallsCommand : ICliCommand
{
    public string Name => "syscalls";
    public string Summary => "system-call table: name <-> number per architecture, and the @groups";
    public string Help => $"""
        Usage:
          seccomp-ebpf syscalls [--arch ARCH]... [--json] [NAME | NR | @GROUP]...
          seccomp-ebpf syscalls --groups [--json]

        With no argument, every system call of the ABI, by number. NAME prints its number, NR its
        name, @GROUP the group's calls this ABI has (see --groups; defined in
        src/SeccompEbpf/Syscalls/SyscallGroups.cs, documented in Syscalls/GROUPS.md). The tables are
        libseccomp 2.6's, for all 23 ABIs (x32 numbers include the x32 bit 0x40000000, MIPS numbers
        their ABI's base). One line per answer: NR NAME, prefixed with the ABI when several are asked.

        Options:
          --arch ARCH      the ABI (default: this machine's native one); repeatable, or 'all' for
                           every one: {SyscallArchInfo.ShortNames}
          --groups         list the groups with what each is for
          --json           the answers as JSON

        Exit codes: 0 every NAME and NR is a system call of every ABI asked, 1 one is not (the
        message names the nearest name, or the ABIs that have it), 2 usage (an unknown @GROUP).

        Examples:
          seccomp-ebpf syscalls --arch x86_64 getpid                  # "39 getpid"
          seccomp-ebpf syscalls --arch x86 --arch aarch64 openat      # "aarch64 56 openat"
          seccomp-ebpf syscalls --arch x86_64 @network-io | head -3
          seccomp-ebpf syscalls --groups | grep file-system           # "@file-system"
          seccomp-ebpf syscalls --arch x86_64 getpidd                 # fails: "did you mean getpid?"
        """;

    public CommandSyntax Syntax => new([
        CliOption.OneOf("--arch", "ARCH", SyscallArchInfo.All.Select(a => a.ShortName()).Append("all")).Many(),
        CliOption.Flag("--groups"),
        CliOption.Flag("--json"),
    ]) { Arguments = CompletionKind.Syscall };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        bool json = cli.Flag("--json");
        var archNames = cli.Options("--arch");
        var arches = archNames.Contains("all") ? SyscallArchInfo.All.ToList() : archNames.Select(PolicyArguments.ParseArch).Distinct().ToList();
        if (arches.Count == 0) arches.Add(NativeArch.Primary);
        if (cli.Flag("--groups"))
        {
            if (cli.Positional.Count > 0 || archNames.Count > 0) throw new CliUsageException("--groups takes no other argument");
            WriteGroups(stdout, json);
            return ExitCodes.Ok;
        }

        var queries = cli.Positional.Count > 0 ? cli.Positional : [""];
        foreach (var q in queries.Where(q => q.StartsWith('@')))
            if (SyscallGroups.Find(q) is null)
                throw new CliUsageException($"unknown group '{q}'{Bpf.NearestName.Hint(q, SyscallGroups.All.Select(g => g.Name))}; 'seccomp-ebpf syscalls --groups' lists them");

        var answers = new List<(SyscallArch Arch, string Query, string Name, int Number)>();
        int exit = ExitCodes.Ok;
        foreach (var arch in arches)
            foreach (var query in queries)
            {
                var found = Lookup(arch, query, out var problem);
                if (problem is not null) { stderr.WriteLine($"seccomp-ebpf syscalls: {problem}"); exit = ExitCodes.Rejected; }
                answers.AddRange(found.Select(f => (arch, query, f.Name, f.Number)));
            }

        if (json)
            stdout.WriteLine(JsonSerializer.Serialize(answers.Select(a => new { arch = a.Arch.ShortName(), query = a.Query.Length > 0 ? a.Query : null, name = a.Name, nr = a.Number }),
                new JsonSerializerOptions { WriteIndented = true }));
        else
            foreach (var a in answers)
                stdout.WriteLine(arches.Count > 1 ? $"{a.Arch.ShortName()} {a.Number} {a.Name}" : $"{a.Number} {a.Name}");
        return exit;
    }

    /// <summary>What <paramref name="query"/> names on <paramref name="arch"/>: "" everything, @GROUP its members, a number, a name.</summary>
    private static IReadOnlyList<(string Name, int Number)> Lookup(SyscallArch arch, string query, out string? problem)
    {
        problem = null;
        var table = SyscallTable.For(arch);
        if (query.Length == 0) return table.Entries.ToList();
        if (query.StartsWith('@')) return SyscallGroups.Find(query)!.On(arch);
        if (int.TryParse(query, out var nr))
        {
            if (table.NameOf(nr) is { } name) return [(name, nr)];
            problem = $"{nr} is not a system call number of {arch.ShortName()}";
            return [];
        }
        if (table.TryGetNumber(query, out var number)) return [(query, number)];
        problem = SyscallTable.NotFound(query, arch);
        return [];
    }

    private static void WriteGroups(TextWriter stdout, bool json)
    {
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(SyscallGroups.All.Select(g => new { name = g.Name, description = g.Description, members = g.Members }),
                new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        foreach (var g in SyscallGroups.All)
            stdout.WriteLine($"{g.Name,-15} {g.Description} ({g.Members.Count} names)");
    }
}
