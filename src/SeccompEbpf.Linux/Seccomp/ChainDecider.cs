using System.Runtime.CompilerServices;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model.Helpers;
using SeccompEbpf.Split;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>
/// Answers notified calls by running the policy's whole filter chain (split's <see cref="ChainEvaluator"/>)
/// with the helpers backed by the real caller. Called one notification at a time by the supervisor,
/// so the eBPF maps are shared by every thread and child of the command, as kernel maps would be.
/// Per-process storage is released when its process ends (<see cref="ProcessExitWatcher"/>), as the
/// kernel frees task storage with the task: a long-running sandbox that starts many short processes
/// does not fill the map, and a later process that gets a recycled pid starts with no entry.
/// </summary>
public sealed class ChainDecider : ISyscallDecider, IDisposable
{
    private readonly ChainEvaluator _evaluator;
    private readonly ProcessTaskView _view;
    private readonly ProcessStorageMap[] _storage;
    private readonly ProcessExitWatcher? _exits;

    public ChainDecider(ChainEvaluator evaluator, PidNamespaceId loaderPidNamespace, IReadOnlyList<ProcessStorageMap>? processStorage = null)
    {
        _evaluator = evaluator;
        _storage = processStorage?.Distinct().ToArray() ?? [];
        _exits = _storage.Length > 0 ? new ProcessExitWatcher() : null;
        _view = new ProcessTaskView(loaderPidNamespace, _exits);
    }

    /// <summary>
    /// Continue a memory-dependent ALLOW the supervisor cannot carry out itself (anything but the open
    /// family), as before this check existed: racy, since the kernel reads the memory again (each such
    /// call is logged as racy). Off: such calls fail with EPERM. `run --allow-racy-memory-checks`.
    /// </summary>
    public bool AllowRacyMemoryChecks { get; init; }

    /// <summary>The last eBPF run-time fault (the filter counted as KILL_PROCESS), for diagnostics.</summary>
    public string? LastFault { get; private set; }

    /// <summary>Processes whose end is being watched because they hold per-process storage.</summary>
    public int WatchedProcesses => _exits?.Count ?? 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SyscallDecision Decide(in SyscallNotification notification, NotifiedProcess process)
    {
        if (_exits is not null) ReleaseExited(_exits);
        _view.Reset(process);
        var decision = _evaluator.Decide(notification.Data, _view);
        if (decision.Error is not null) LastFault = decision.Error;
        if (_exits is not null && _view.KnownTgid is { } tgid) FollowIfStoring(_exits, tgid);
        if (_view.TakeMemoryRead() is not { } memory) return new SyscallDecision(decision.Action, decision.Filter);
        return new SyscallDecision(decision.Action, decision.Filter) { MemoryRead = memory, MayContinueRacily = AllowRacyMemoryChecks };
    }

    private void ReleaseExited(ProcessExitWatcher exits)
    {
        while (exits.TryTakeExited(out var tgid))
            foreach (var map in _storage) map.Remove((ulong)tgid);
    }

    /// <summary>
    /// After a run that looked up the caller's process: once it holds storage, watch for its end. This
    /// runs while the call is pending, so the tgid still names the caller's process.
    /// </summary>
    private void FollowIfStoring(ProcessExitWatcher exits, int tgid)
    {
        if (exits.IsWatched(tgid)) return;
        bool stores = false;
        foreach (var map in _storage) stores |= map.GetOrCreate((ulong)tgid, create: false, default) != 0;
        if (stores) exits.Watch(tgid);
    }

    public void Dispose()
    {
        _exits?.Dispose();
        _evaluator.Dispose();
    }
}
