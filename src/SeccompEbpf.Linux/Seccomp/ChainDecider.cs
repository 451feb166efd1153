using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model.Helpers;
using SeccompEbpf.Split;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>
/// Answers notified calls by running the policy's whole filter chain (split's <see cref="ChainEvaluator"/>)
/// with the helpers backed by the real caller. Called one notification at a time by the supervisor,
/// so the eBPF maps are shared by every thread and child of the command, as kernel maps would be.
/// </summary>
public sealed class ChainDecider : ISyscallDecider, IDisposable
{
    private readonly ChainEvaluator _evaluator;
    private readonly ProcessTaskView _view;

    public ChainDecider(ChainEvaluator evaluator, PidNamespaceId loaderPidNamespace)
    {
        _evaluator = evaluator;
        _view = new ProcessTaskView(loaderPidNamespace);
    }

    /// <summary>The last eBPF run-time fault (the filter counted as KILL_PROCESS), for diagnostics.</summary>
    public string? LastFault { get; private set; }

    public SyscallDecision Decide(in SyscallNotification notification, NotifiedProcess process)
    {
        _view.Reset(process);
        var decision = _evaluator.Decide(notification.Data, _view);
        if (decision.Error is not null) LastFault = decision.Error;
        return new SyscallDecision(decision.Action, decision.Filter);
    }

    public void Dispose() => _evaluator.Dispose();
}
