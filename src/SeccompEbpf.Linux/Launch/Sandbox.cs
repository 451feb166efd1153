using SeccompEbpf.Linux.Supervisor;

namespace SeccompEbpf.Linux.Launch;

/// <summary>What <see cref="Sandbox.Run"/> needs: the plan, the command and how to start the launcher.</summary>
public sealed record SandboxRequest(RunPlan Plan, string Command, IReadOnlyList<string> Arguments)
{
    public LauncherInvocation Launcher { get; init; } = LauncherInvocation.ForCurrentProcess();

    /// <summary>--log FILE: one JSON line per decision that was not a plain allow.</summary>
    public string? LogPath { get; init; }

    public bool ForwardSignals { get; init; } = true;

    /// <summary>null: the command shares our standard output; else it writes to this file.</summary>
    public string? StandardOutputPath { get; init; }

    /// <summary>The user's choices that loosen the sandbox's own protections; the default loosens none.</summary>
    public SandboxOptions Options { get; init; } = new();

    /// <summary>Receives warnings about protections this machine cannot give (printed before the command starts).</summary>
    public Action<string>? Warn { get; init; }
}

/// <summary>How a sandboxed run ended.</summary>
public sealed record SandboxResult(ExitStatus? Status, string? Error, int ExitCode, long NotificationsHandled, bool SyncWakeUp)
{
    /// <summary>Managed bytes the supervisor loop allocated after its warm-up (see <see cref="NotifySupervisor.AllocatedAfterWarmUp"/>).</summary>
    public long? SupervisorAllocatedAfterWarmUp { get; init; }

    public bool Started => Status is not null;
}

/// <summary>
/// Runs a command under a plan: launch (the sandbox closed around the command and the filters installed
/// just before execve, see <see cref="SandboxHardening"/>), supervise its notified calls, pass its exit
/// status through (128 + signal when killed) and forward signals to it. The calling process becomes
/// the supervisor and is made non-dumpable for the rest of its life.
/// </summary>
public static class Sandbox
{
    public static SandboxResult Run(SandboxRequest request)
    {
        using var log = request.LogPath is { } path ? DecisionLog.Open(path, request.Plan.SyscallName) : null;
        var (launch, hardeningError, warnings) = SandboxHardening.Prepare(request.Plan, request.Options);
        foreach (var warning in warnings) request.Warn?.Invoke(warning);
        if (launch is not { } launchPlan)
            return new SandboxResult(null, hardeningError, LauncherChild.SetupFailedExit, 0, false);
        using var forwarder = request.ForwardSignals ? new SignalForwarder() : null;
        var supervisorThread = SupervisorThread.Launch(request, launchPlan, log);
        var outcome = supervisorThread.Outcome;
        if (outcome.Command is not { } command)
            return new SandboxResult(null, outcome.Error, outcome.ExitCode, 0, false);

        using (command)
        {
            using var supervisor = supervisorThread.Supervisor;
            forwarder?.Attach(command);
            var execError = command.WaitForExec();
            var status = command.Wait();
            // Supervision ends with the command: descendants it left running keep the filter, and
            // their notified calls fail with ENOSYS from here on (fail closed).
            supervisor?.Stop();
            return new SandboxResult(status, execError, status.ShellCode, supervisor?.Handled ?? 0, supervisor?.Listener.SyncWakeUp ?? false)
            {
                SupervisorAllocatedAfterWarmUp = supervisor?.AllocatedAfterWarmUp,
            };
        }
    }
}
