using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Split;

namespace SeccompEbpf.Cli.Commands;

/// <summary><c>seccomp-ebpf run</c>: runs a command under a policy: kernel cBPF for what is constant, the supervisor for the rest.</summary>
public sealed class RunCommand : ICliCommand
{
    public string Name => "run";
    public string Summary => "run a command under a seccomp policy (eBPF filters, OCI profile, classic filters, or the default)";
    public string Help => $"""
        Usage: seccomp-ebpf run [POLICY] [--log FILE] [--show-plan] -- COMMAND [ARGS...]

        Runs COMMAND, and every thread and process it starts, under the policy. The policy is split per
        architecture and system call: where its verdict is a constant no map or helper can change, the
        kernel decides alone (classic BPF, no context switch); everything else is sent to this process
        (seccomp user notification), which runs the whole filter chain with live maps and helpers
        backed by the real caller, and answers. If this process dies, notified calls fail with ENOSYS:
        nothing is allowed. The command's exit status is passed through (128 + N when killed by
        signal N); SIGTERM, SIGHUP, SIGINT reach the command.

        Policy (eBPF filters are loaded with your privileges, root: privileged helper set and limits,
        otherwise unprivileged, and verified once):
        {PolicyArguments.Help}

        Output:
          --log FILE                 append one JSON line per decision that was not a plain allow
                                     (time, pid, syscall name, arguments, action, filter)
          --notify-all               skip the split: every call goes to the supervisor (slow; to
                                     compare designs or debug a plan)
          --show-plan                print the split (see `seccomp-ebpf plan`) to stderr before running
          --allow-racy-memory-checks let a filter's ALLOW that read the caller's memory continue the call
                                     (the kernel reads the memory again: a second thread can change it
                                     in between). Without it such a call is carried out by this process
                                     on the bytes the filter checked (open, openat, openat2, creat) or
                                     fails with EPERM; each racy call is logged
        Access rules (static; the kernel checks the resolved file or port itself, Landlock):
        {AccessRuleOptions.Help}
        Sandbox (whatever the policy says; see ENFORCEMENT.md, threat model):
          The command cannot ptrace, read or write this process or any other process outside the
          sandbox (Landlock; this process is also non-dumpable), cannot signal them (Landlock ABI 6+),
          cannot push input into a terminal (TIOCSTI/TIOCLINUX fail with EPERM) and gets no
          notification listener of its own. It gets fds 0-2 only, the environment unchanged,
          no_new_privs, and as root loses CAP_SYS_PTRACE.
          --preserve-fds N           also pass fds 3 .. 3+N-1 (as crun and runc count them)
          --keep-cap-sys-ptrace      a root command keeps CAP_SYS_PTRACE (it can then trace any process
                                     inside the sandbox, whoever owns it; Landlock still keeps it from
                                     the supervisor and everything outside)

        Examples:
          seccomp-ebpf run -- ls -l                      # the built-in default policy
          seccomp-ebpf run -- unshare -U true            # fails: unshare is refused (EPERM)
          seccomp-ebpf run --profile docker.json -- sh -c 'echo hi'      # "hi"
          seccomp-ebpf run --filter examples/filters/02_getpid_counter.o --log decisions.jsonl -- python3 -c 'import os; [os.getpid() for _ in range(5)]'
          seccomp-ebpf run --filter 05_openat_paths.o --map-key allowed_paths=/etc/hostname -- cat /etc/hostname
          seccomp-ebpf run --filter examples/filters/01_close_999.o --filter examples/filters/02_getpid_counter.o:seccomp -- true   # the last runs first
          seccomp-ebpf run --fs-system --fs-read /etc/hostname -- cat /etc/hostname
          seccomp-ebpf run --fs-system -- ls /var   # fails: Permission denied (nothing grants /var)
        """;

    public CommandSyntax Syntax => new([
        .. PolicyArguments.Options,
        CliOption.Value("--log", "FILE"),
        CliOption.Flag("--notify-all"),
        CliOption.Flag("--show-plan"),
        CliOption.Flag("--allow-racy-memory-checks"),
        .. AccessRuleOptions.Options,
        CliOption.Value("--preserve-fds", "N"),
        CliOption.Flag("--keep-cap-sys-ptrace"),
    ]) { Arguments = CompletionKind.Program };

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        // The command line first: a usage error is reported before any policy file is read.
        if (cli.Positional.Count > 0) throw new CliUsageException($"unexpected '{cli.Positional[0]}': put the command after --");
        if (cli.Rest.Length == 0) throw new CliUsageException("no command given: seccomp-ebpf run [POLICY] -- COMMAND [ARGS...]");
        var report = new CliReport(Name, stderr, cli);
        var policy = PolicyArguments.Read(cli, report);
        var options = new PolicyRunOptions(policy) { NotifyEverything = cli.Flag("--notify-all"), AllowRacyMemoryChecks = cli.Flag("--allow-racy-memory-checks") };
        var logPath = cli.Option("--log");
        bool showPlan = cli.Flag("--show-plan");
        var access = AccessRuleOptions.Parse(cli);
        var sandbox = new SandboxOptions { PreserveFds = PreservedFdCount(cli.Option("--preserve-fds")), KeepCapSysPtrace = cli.Flag("--keep-cap-sys-ptrace") };

        // The default policy's kernel filter is built into the binary: nothing to compile, nothing to read.
        bool builtIn = policy.IsDefault && !options.NotifyEverything && policy.MapSeeds.Count == 0 && !showPlan;
        var plan = builtIn ? BuiltInDefaultPlan.ForThisMachine() : null;
        if (plan is null)
        {
            var built = PolicyRunPlan.Build(options);
            if (!built.IsOk)
            {
                stderr.WriteLine($"seccomp-ebpf run: {built.Error}");
                return ExitCodes.BadInput;
            }
            plan = built.Value.Plan;
            if (showPlan) WritePlan(built.Value.Split, stderr);
        }
        if (!access.IsEmpty) plan = plan with { Access = access };
        try
        {
            var request = new SandboxRequest(plan, cli.Rest[0], cli.Rest[1..])
            {
                LogPath = logPath,
                Options = sandbox,
                Warn = report.Warning,
            };
            var result = Sandbox.Run(request);
            if (result.Error is { } message) stderr.WriteLine($"seccomp-ebpf run: {message}");
            return result.ExitCode;
        }
        finally
        {
            (plan.Decider as IDisposable)?.Dispose();
        }
    }

    private static int PreservedFdCount(string? text)
    {
        if (text is null) return 0;
        if (!int.TryParse(text, out var count) || count is < 0 or > 1000)
            throw new CliUsageException($"--preserve-fds takes a count from 0 to 1000 (fds 3 .. 3+N-1 are passed to the command), got '{text}'");
        return count;
    }

    private static void WritePlan(SplitPlan split, TextWriter o)
    {
        o.WriteLine($"policy: {string.Join(" + ", split.Stack.Filters.Select(f => f.Name))}");
        foreach (var arch in split.Arches)
        {
            var named = arch.NamedEntries().ToList();
            var notified = named.Where(n => n.Entry.Kind == SplitKind.Dynamic).Select(n => n.Name).ToList();
            o.WriteLine($"  {arch.Name}: {named.Count - notified.Count} syscalls kernel-only, {notified.Count} notified{(notified.Count > 0 ? ": " + string.Join(", ", notified.Take(20)) + (notified.Count > 20 ? ", ..." : "") : "")}");
        }
    }
}
