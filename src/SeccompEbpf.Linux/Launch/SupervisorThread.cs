using SeccompEbpf.Linux.Supervisor;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// The thread that starts the command and then answers its notified calls: it first enters a Landlock
/// domain of its own (<see cref="SandboxHardening.EnterSupervisorDomain"/>), so the command, started from
/// it, lands in a domain nested in that one. A fresh thread per sandbox: domains nest at most 16 deep,
/// and a thread can never leave one.
/// </summary>
internal sealed class SupervisorThread
{
    private readonly ManualResetEventSlim _launched = new();
    private LaunchOutcome? _outcome;

    private SupervisorThread() { }

    /// <summary>The launch's outcome: the command (and its supervisor, when it has a listener), or why not.</summary>
    public LaunchOutcome Outcome => _outcome!;

    public NotifySupervisor? Supervisor { get; private set; }

    /// <summary>Starts the thread and waits until the command is launched (or could not be).</summary>
    public static SupervisorThread Launch(SandboxRequest request, LaunchPlan launch, DecisionLog? log)
    {
        var started = new SupervisorThread();
        var thread = new Thread(() => started.LaunchAndSupervise(request, launch, log)) { IsBackground = true, Name = "seccomp-notify" };
        thread.Start();
        started._launched.Wait();
        return started;
    }

    private void LaunchAndSupervise(SandboxRequest request, LaunchPlan launch, DecisionLog? log)
    {
        try
        {
            if (SandboxHardening.EnterSupervisorDomain(launch) is { } error)
            {
                _outcome = new LaunchOutcome(null, $"entering the supervisor's Landlock domain: {error}", LauncherChild.SetupFailedExit);
                return;
            }
            _outcome = SandboxLauncher.Launch(request.Launcher, launch, request.Command, request.Arguments, request.StandardOutputPath);
            if (_outcome.Command?.Listener is { } listener) Supervisor = new NotifySupervisor(listener, request.Plan.Decider, log);
        }
        catch (Exception e)
        {
            _outcome = new LaunchOutcome(null, $"launching: {e.Message}", LauncherChild.SetupFailedExit);
        }
        finally
        {
            _launched.Set();
        }
        Supervisor?.RunHere();
    }
}
