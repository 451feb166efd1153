using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Policies;
using SeccompEbpf.Linux.Supervisor;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf run</c>: runs a command under a kernel filter plus the notify supervisor.</summary>
public sealed class RunCommand : ICliCommand
{
    public string Name => "run";
    public string Summary => "run a command under a seccomp filter and the notify supervisor";
    public string Help => """
        Usage: seccomp-ebpf run [OPTIONS] -- COMMAND [ARGS...]

        Runs COMMAND with no_new_privs and a seccomp filter installed just before execve. The filter
        is inherited by every thread and child process. System calls the filter sends to user
        notification are decided by this process; the command's exit status is passed through
        (128 + N when it is killed by signal N), and SIGTERM/SIGHUP/SIGINT reach the command.
        If this process dies, notified calls fail with ENOSYS: nothing is allowed by default.

        Policy (for now; OCI profiles and eBPF filters will plug in here):
          --cbpf FILE.bin          a raw classic BPF seccomp program (array of 8-byte sock_filter)
          --notify-syscalls N,M    built-in filter: these syscall numbers go to the supervisor, all
                                   else is allowed; calls of another architecture are killed
          (neither)                built-in filter that allows everything of this architecture
        Decisions for notified calls:
          --allow-notified N       allow the first N notified calls (all threads and children
                                   counted together), then fail them (default: allow all)
          --errno E                the errno for failed calls (default 1, EPERM)
          --log FILE               append one JSON line per decision that was not a plain allow

        Examples:
          seccomp-ebpf run -- ls -l
          seccomp-ebpf run --notify-syscalls 39 --allow-notified 3 -- python3 -c 'import os; [os.getpid() for _ in range(5)]'
        """;

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args);
        var cbpfPath = cli.Option("--cbpf");
        var notifyList = cli.Option("--notify-syscalls");
        var allowNotified = ParseLong(cli.Option("--allow-notified"), "--allow-notified", -1);
        var errno = (int)ParseLong(cli.Option("--errno"), "--errno", 1);
        var logPath = cli.Option("--log");
        cli.RejectUnknown();
        if (cli.Positional.Count > 0) throw new CliUsageException($"unexpected '{cli.Positional[0]}': put the command after --");
        if (cli.Rest.Length == 0) throw new CliUsageException("no command given: seccomp-ebpf run [OPTIONS] -- COMMAND [ARGS...]");
        if (cbpfPath is not null && notifyList is not null) throw new CliUsageException("--cbpf and --notify-syscalls cannot be combined");
        if (errno is < 0 or > 4095) throw new CliUsageException("--errno must be 0..4095");

        IReadOnlyList<ClassicInstruction> filter;
        string description;
        if (cbpfPath is not null)
        {
            if (ClassicFilterFile.TryRead(cbpfPath, out var error) is not { } program)
            {
                stderr.WriteLine($"seccomp-ebpf run: {error}");
                return ExitCodes.BadInput;
            }
            filter = program;
            description = $"cbpf:{cbpfPath}";
        }
        else
        {
            var numbers = notifyList is null ? [] : ParseSyscallNumbers(notifyList);
            filter = NotifyListFilter.Build(NativeArch.AuditArchValue, numbers);
            description = notifyList is null ? "builtin:allow-native" : $"builtin:notify({notifyList})";
        }

        var plan = new RunPlan(filter, new CountingDecider(allowNotified, errno, description), description);
        var result = Sandbox.Run(new SandboxRequest(plan, cli.Rest[0], cli.Rest[1..]) { LogPath = logPath });
        if (result.Error is { } message) stderr.WriteLine($"seccomp-ebpf run: {message}");
        return result.ExitCode;
    }

    private static long ParseLong(string? text, string option, long fallback)
    {
        if (text is null) return fallback;
        return long.TryParse(text, out var value) && value >= 0 ? value : throw new CliUsageException($"{option} needs a non-negative number, got '{text}'");
    }

    private static int[] ParseSyscallNumbers(string list)
    {
        var numbers = new List<int>();
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, out var nr) || nr < 0)
                throw new CliUsageException($"--notify-syscalls takes system call numbers (e.g. 39 for getpid on x86_64), got '{item}'");
            numbers.Add(nr);
        }
        if (numbers.Count == 0) throw new CliUsageException("--notify-syscalls needs at least one number");
        return numbers.ToArray();
    }
}
