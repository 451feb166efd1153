using System.Text.Json;
using SeccompEbpf.Classic;
using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf simulate</c>: what a stack of filters decides for one call or for a recorded trace.</summary>
public sealed class SimulateCommand : ICliCommand
{
    public string Name => "simulate";
    public string Summary => "run filters on one system call or an strace -f trace and print the verdicts";
    public string Help => """
        Usage:
          seccomp-ebpf simulate --filter FILE [--filter FILE ...] --syscall NR [--arch ARCH] [--args A,B,...] [--ip N] [--json]
          seccomp-ebpf simulate --filter FILE [--filter FILE ...] --trace FILE [--arch ARCH] [--all] [--json]

        Filters are classic BPF in any form (bpf_asm text, tcpdump -ddd or -dd output, raw
        sock_filter bytes), given oldest first; they all run, newest first, and the lowest action
        wins as in the kernel. The process starts with no_new_privs and these filters; children
        from clone/fork/vfork share them, execve keeps them.

        Options:
          --syscall NR   system call number (names need the syscall table of the policy layer)
          --arch ARCH    x86_64 (default), x32, i386, aarch64, arm, riscv64
          --args LIST    up to six arguments, comma-separated (decimal, 0x hex, negative)
          --ip N         instruction_pointer seen by the filters (default 0)
          --trace FILE   strace output; record with: strace -f -n -e raw=all -o FILE CMD
                         (-n gives the numbers, raw=all the exact arguments)
          --all          with --trace: print every call, not only those that are not allowed
          --json         machine-readable output

        Example:
          seccomp-ebpf simulate --filter deny-socket.bpf --syscall 41 --args 2,1,0
        """;

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, "--json", "--all");
        var filterFiles = cli.Options("--filter");
        var syscall = cli.Option("--syscall");
        var traceFile = cli.Option("--trace");
        var archName = cli.Option("--arch", "x86_64");
        var argList = cli.Option("--args");
        var ip = cli.Option("--ip");
        bool json = cli.Flag("--json"), all = cli.Flag("--all");
        cli.RejectUnknown();

        if (filterFiles.Count == 0) throw new CliUsageException("give at least one --filter FILE");
        if ((syscall is null) == (traceFile is null)) throw new CliUsageException("give either --syscall NR or --trace FILE");
        if (!AuditArch.ByName.TryGetValue(archName, out uint arch)) throw new CliUsageException($"unknown --arch '{archName}' (x86_64, x32, i386, aarch64, arm, riscv64)");

        var filters = new List<(string Name, IReadOnlyList<ClassicInstruction> Program)>();
        foreach (var file in filterFiles)
        {
            var loaded = ClassicFilterFile.Load(file);
            if (!loaded.IsOk)
            {
                stderr.WriteLine($"seccomp-ebpf simulate: {loaded.Error}");
                return ExitCodes.BadInput;
            }
            filters.Add((file, loaded.Value));
        }

        return syscall is not null
            ? SimulateOne(filters, syscall, archName, arch, argList, ip, json, stdout, stderr)
            : SimulateTrace(filters, traceFile!, arch, all, json, stdout, stderr);
    }

    private static int SimulateOne(List<(string Name, IReadOnlyList<ClassicInstruction> Program)> filters, string syscall, string archName,
        uint arch, string? argList, string? ipText, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!TryNumber(syscall, out ulong nrValue) || nrValue > int.MaxValue)
            throw new CliUsageException($"--syscall takes a number, got '{syscall}'");
        int nr = (int)nrValue | (archName.Equals("x32", StringComparison.OrdinalIgnoreCase) ? AuditArch.X32SyscallBit : 0);
        var arguments = new SeccompArgs();
        var parts = argList is null ? [] : argList.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 6) throw new CliUsageException($"--args takes at most six arguments, got {parts.Length}");
        for (int i = 0; i < parts.Length; i++)
            if (!TryNumber(parts[i], out arguments[i])) throw new CliUsageException($"argument {i} '{parts[i]}' is not a number");
        ulong ip = 0;
        if (ipText is not null && !TryNumber(ipText, out ip)) throw new CliUsageException($"--ip '{ipText}' is not a number");

        var thread = new SeccompSystem().Spawn(SeccompCredentials.Unprivileged);
        thread.SetNoNewPrivs();
        foreach (var (name, program) in filters)
        {
            var attached = SeccompAttach.AttachClassic(thread, program, 0, name);
            if (!attached.IsSuccess)
            {
                stderr.WriteLine($"seccomp-ebpf simulate: {name}: {attached.FilterError?.ToString() ?? attached.ToString()}");
                return ExitCodes.BadInput;
            }
        }
        var data = new SeccompData(nr, arch, ip, arguments);
        var verdict = thread.Evaluate(in data);
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                nr,
                arch = AuditArch.Name(arch),
                args = Enumerable.Range(0, 6).Select(i => data.Args[i]).ToArray(),
                filters = verdict.Results.Select(r => new { name = r.Node.Filter.Name, value = r.Value, action = r.Action.ToString() }),
                action = verdict.Action.ToString(),
                value = verdict.Action.Value,
                effective = SeccompAction.ActionName(verdict.Action.EffectiveAction),
                decidedBy = verdict.DecidedBy?.Filter.Name,
            }, JsonOptions));
            return ExitCodes.Ok;
        }
        stdout.WriteLine($"syscall {nr} on {AuditArch.Name(arch)} args [{data.Args}]");
        foreach (var result in verdict.Results)
            stdout.WriteLine($"  {result.Node.Filter.Name}: {result.Action} (0x{result.Value:x8})");
        stdout.WriteLine($"final: {verdict.Action}{(verdict.DecidedBy is { } d ? $" (from {d.Filter.Name})" : "")}");
        return ExitCodes.Ok;
    }

    private static int SimulateTrace(List<(string Name, IReadOnlyList<ClassicInstruction> Program)> filters, string traceFile,
        uint arch, bool all, bool json, TextWriter stdout, TextWriter stderr)
    {
        var parsed = StraceParser.Parse(File.ReadAllText(traceFile), traceFile);
        if (!parsed.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf simulate: {parsed.Error}");
            return ExitCodes.BadInput;
        }
        var replayed = TraceReplay.Run(parsed.Value, filters, arch);
        if (!replayed.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf simulate: {replayed.Error}");
            return ExitCodes.BadInput;
        }
        var report = replayed.Value;
        foreach (var warning in report.Warnings) stderr.WriteLine($"seccomp-ebpf simulate: warning: {traceFile}: {warning}");
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                calls = report.Calls.Select(c => new
                {
                    line = c.Call.Line, pid = c.Call.Pid, name = c.Call.Name, nr = c.Data.Nr,
                    args = Enumerable.Range(0, 6).Select(i => c.Data.Args[i]).ToArray(),
                    filters = c.Verdict.Results.Select(r => r.Value).ToArray(),
                    action = c.Verdict.Action.ToString(),
                }),
                summary = new { processes = report.Processes, threads = report.Threads, byAction = report.ByAction, bySyscall = report.BySyscall },
            }, JsonOptions));
            return ExitCodes.Ok;
        }
        foreach (var call in report.Calls)
        {
            if (!all && call.Verdict.Action.EffectiveAction == SeccompAction.Allow) continue;
            var perFilter = string.Join(", ", call.Verdict.Results.Select(r => r.Action.ToString()));
            stdout.WriteLine($"{traceFile}:{call.Call.Line}: pid {call.Call.Pid} {call.Call.Name}({call.Data.Nr}) -> {call.Verdict.Action}   [{perFilter}]");
        }
        stdout.WriteLine($"{report.Calls.Count} calls in {report.Processes} processes ({report.Threads} tasks)");
        foreach (var (action, count) in report.ByAction) stdout.WriteLine($"  {action,-13} {count}");
        stdout.WriteLine("by system call (not allowed only):");
        foreach (var (name, actions) in report.BySyscall.Where(kv => kv.Value.Keys.Any(a => a != "ALLOW")))
            stdout.WriteLine($"  {name,-20} {string.Join(", ", actions.Select(kv => $"{kv.Key} {kv.Value}"))}");
        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static bool TryNumber(string text, out ulong value)
    {
        if (text.StartsWith('-') && long.TryParse(text, out long negative))
        {
            value = (ulong)negative;
            return true;
        }
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text[2..], System.Globalization.NumberStyles.AllowHexSpecifier, null, out value)
            : ulong.TryParse(text, out value);
    }
}
