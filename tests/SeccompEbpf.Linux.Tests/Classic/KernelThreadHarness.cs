using System.Runtime.InteropServices;
using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Tests.Classic;

/// <summary>What a system call returned: the raw result and errno.</summary>
public readonly record struct SyscallOutcome(long Result, int Errno)
{
    public const int Enosys = 38;

    /// <summary>What the kernel makes of a final filter result when nothing traces or listens, for calls that do not exist.</summary>
    public static SyscallOutcome Expected(uint filterResult)
    {
        var action = new SeccompAction(filterResult);
        return action.EffectiveAction switch
        {
            SeccompAction.Errno => action.ErrnoValue == 0 ? new(0, 0) : new(-1, action.ErrnoValue),
            // No tracer: TRACE fails the call with ENOSYS; no listener: USER_NOTIF does too.
            SeccompAction.Allow or SeccompAction.Log or SeccompAction.Trace or SeccompAction.UserNotif => new(-1, Enosys),
            _ => throw new InvalidOperationException($"{action} would kill or signal the test process"),
        };
    }

    public override string ToString() => Result == -1 ? $"-1 errno {Errno}" : $"{Result}";
}

/// <summary>
/// Runs filters in the real kernel on fresh threads: each thread sets no_new_privs, installs its
/// filters (thread only, no TSYNC), makes the calls and exits, taking its filters with it.
/// </summary>
public static class KernelThreadHarness
{
    /// <summary>System call numbers that exist on no architecture we run on: allowed calls return ENOSYS.</summary>
    public const int MinNr = 1000, MaxNr = 1100;

    public static uint NativeArch => Syscalls.NativeArch.Known?.AuditArch() ?? 0;

    /// <summary>Why the kernel tests cannot run here, or null when they can.</summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux (seccomp)";
        if (NativeArch == 0 || SeccompThreadFilter.SeccompSyscallNumber < 0)
            return $"no seccomp_data arch/syscall number known for {RuntimeInformation.ProcessArchitecture}";
        var probe = OnFreshThread(() =>
        {
            int inherited = InheritedFilterCount();
            var before = Invoke(MinNr, default);
            int noNewPrivs = SeccompThreadFilter.SetNoNewPrivs();
            int install = SeccompThreadFilter.Install([ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.Allow)]);
            return (inherited, before, noNewPrivs, install);
        });
        // New threads inherit the filters of the thread that creates them: a test runner thread
        // that already has filters would change every verdict and the instruction budget.
        if (probe.inherited != 0)
            return $"test threads start with {probe.inherited} inherited seccomp filter(s) (another test filtered a shared thread)";
        if (probe.before != new SyscallOutcome(-1, SyscallOutcome.Enosys))
            return $"system call {MinNr} gives {probe.before}, not ENOSYS (an inherited seccomp filter or a kernel that defines it)";
        if (probe.noNewPrivs != 0) return $"prctl(PR_SET_NO_NEW_PRIVS) failed with errno {probe.noNewPrivs}";
        if (probe.install != 0) return $"seccomp(SECCOMP_SET_MODE_FILTER) failed with errno {probe.install}";
        return null;
    }

    /// <summary>Installs <paramref name="filters"/> (oldest first) and makes one call per input.
    /// Returns the install errno (0 = all installed) and the outcomes.</summary>
    public static (int InstallErrno, SyscallOutcome[] Outcomes) Run(IReadOnlyList<ClassicInstruction[]> filters, IReadOnlyList<SeccompData> inputs) =>
        OnFreshThread(() =>
        {
            int error = SeccompThreadFilter.SetNoNewPrivs();
            foreach (var filter in filters)
            {
                if (error != 0) break;
                error = SeccompThreadFilter.Install(filter);
            }
            var outcomes = new SyscallOutcome[error == 0 ? inputs.Count : 0];
            for (int i = 0; i < outcomes.Length; i++)
                outcomes[i] = Invoke(inputs[i].Nr, inputs[i]);
            return (error, outcomes);
        });

    /// <summary>Seccomp_filters of the calling thread (/proc/thread-self/status); 0 when the kernel does not report it.</summary>
    public static int InheritedFilterCount()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/thread-self/status"))
                if (line.StartsWith("Seccomp_filters:", StringComparison.Ordinal))
                    return int.Parse(line["Seccomp_filters:".Length..].Trim());
        }
        catch (IOException) { }
        return 0; // older kernels do not report it; the ENOSYS probe still guards
    }

    private static SyscallOutcome Invoke(long nr, in SeccompData data)
    {
        var (result, errno) = SeccompThreadFilter.Invoke(nr, data.Args[0], data.Args[1], data.Args[2], data.Args[3], data.Args[4], data.Args[5]);
        return new SyscallOutcome(result, errno);
    }

    private static T OnFreshThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = body(); }
            catch (Exception e) { failure = e; }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("kernel test thread failed", failure);
        return result;
    }
}
