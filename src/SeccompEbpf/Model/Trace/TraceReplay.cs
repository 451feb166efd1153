using SeccompEbpf.Bpf;

namespace SeccompEbpf.Model.Trace;

/// <summary>One replayed call: what the filters saw and decided.</summary>
public sealed record ReplayedCall(TraceCall Call, SeccompData Data, ChainVerdict Verdict);

/// <summary>The outcome of replaying a trace against a filter chain, with summaries.</summary>
public sealed record TraceReplayReport(IReadOnlyList<ReplayedCall> Calls, IReadOnlyList<string> Warnings, int Processes, int Threads)
{
    /// <summary>Calls per effective action (ALLOW, ERRNO, KILL_PROCESS, ...).</summary>
    public IReadOnlyDictionary<string, int> ByAction =>
        Calls.GroupBy(c => SeccompAction.ActionName(c.Verdict.Action.EffectiveAction))
             .OrderBy(g => g.Key, StringComparer.Ordinal)
             .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Per system call name: calls per effective action.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> BySyscall =>
        Calls.GroupBy(c => c.Call.Name)
             .OrderBy(g => g.Key, StringComparer.Ordinal)
             .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g
                 .GroupBy(c => SeccompAction.ActionName(c.Verdict.Action.EffectiveAction))
                 .ToDictionary(a => a.Key, a => a.Count()));
}

/// <summary>
/// Replays a parsed strace trace on the seccomp model: the first process starts with the given
/// filters (and no_new_privs), clone/fork/vfork give children the same chain (threads for
/// CLONE_THREAD), a successful execve keeps the filters and ends the other threads. Every call
/// runs through the whole chain in trace order.
/// </summary>
public sealed class TraceReplay
{
    private readonly Dictionary<int, SeccompThread> _tasks = [];
    private readonly Dictionary<int, (int Parent, bool Thread)> _created = [];
    private readonly List<string> _warnings = [];
    private readonly HashSet<SeccompProcess> _processes = [];
    private int _threads;
    private SeccompThread _root = null!;

    /// <param name="resolveName">Maps a system call name to its number for traces recorded without strace -n (null: none known).</param>
    public static BpfResult<TraceReplayReport> Run(
        StraceParser.ParsedTrace trace,
        IReadOnlyList<(string Name, IReadOnlyList<Classic.ClassicInstruction> Program)> filters,
        uint arch,
        Func<string, int?>? resolveName = null,
        KernelFlavor flavor = KernelFlavor.Upstream)
    {
        var replay = new TraceReplay();
        var root = new SeccompSystem(flavor).Spawn(SeccompCredentials.Unprivileged);
        root.SetNoNewPrivs();
        foreach (var (name, program) in filters)
        {
            var attached = SeccompAttach.AttachClassic(root, program, 0, name);
            if (!attached.IsSuccess)
                return attached.FilterError is { } error ? error with { Location = name } : new BpfError($"{name}: {attached}");
        }
        return Run(trace, root, arch, resolveName);
    }

    /// <summary>
    /// Replays on a process the caller prepared (any filters, eBPF ones included): it plays the
    /// trace's first task; its children are forked from it, so they share its chain and maps.
    /// </summary>
    public static BpfResult<TraceReplayReport> Run(StraceParser.ParsedTrace trace, SeccompThread root, uint arch,
        Func<string, int?>? resolveName = null)
    {
        var replay = new TraceReplay { _root = root };
        replay._tasks[trace.FirstPid] = root;
        replay.Track(root);
        return replay.Replay(trace, arch, resolveName);
    }

    // Strings the trace printed are placed in the task's memory here, one page per argument,
    // and the argument points at them, so helpers that read user memory see what the call passed.
    private const ulong StringArea = 0x7ffe_0000_0000;
    private const ulong StringSlot = 0x1000;

    private TraceReplayReport Replay(StraceParser.ParsedTrace trace, uint arch, Func<string, int?>? resolveName)
    {
        foreach (var call in trace.Events.OfType<TraceCall>())
            if (call.ChildPid is { } child) _created[child] = (call.Pid, call.CreatesThread);

        var calls = new List<ReplayedCall>();
        var unresolved = new HashSet<string>();
        bool inexactNoted = false;
        foreach (var item in trace.Events)
        {
            if (item is TraceExit exit)
            {
                _tasks.Remove(exit.Pid);
                continue;
            }
            var call = (TraceCall)item;
            int? number = call.Number ?? resolveName?.Invoke(call.Name);
            if (number is null)
            {
                if (unresolved.Add(call.Name))
                    _warnings.Add($"line {call.Line}: no number for system call '{call.Name}' (record with strace -n); its calls are skipped");
                continue;
            }
            if (!call.ExactArguments && !inexactNoted)
            {
                inexactNoted = true;
                _warnings.Add($"line {call.Line}: symbolic arguments read as 0 (record with strace -e raw=all for exact arguments)");
            }
            var task = TaskFor(call.Pid);
            var args = new SeccompArgs();
            for (int i = 0; i < 6; i++) args[i] = call.Arguments[i];
            foreach (var (index, bytes) in call.Strings)
            {
                ulong address = StringArea + (ulong)index * StringSlot;
                task.Process.Memory.Map(address, bytes);
                args[index] = address;
            }
            var data = new SeccompData(number.Value, arch, 0, args);
            calls.Add(new ReplayedCall(call, data, task.Evaluate(in data)));
            if (call.IsExec && call.Result == "0") task.Exec();
        }
        return new TraceReplayReport(calls, _warnings, _processes.Count, _threads);
    }

    private SeccompThread TaskFor(int pid)
    {
        if (_tasks.TryGetValue(pid, out var task)) return task;
        SeccompThread created;
        if (_created.TryGetValue(pid, out var origin) && origin.Parent != pid)
        {
            var parent = TaskFor(origin.Parent);
            created = origin.Thread ? parent.CloneThread() : parent.Fork();
        }
        else
        {
            // A task the trace never shows being created: assume a child of the first process.
            _warnings.Add($"task {pid} appears without a clone/fork in the trace; treated as a child of the first process");
            created = _root.Fork();
        }
        _tasks[pid] = created;
        Track(created);
        return created;
    }

    private void Track(SeccompThread thread)
    {
        _processes.Add(thread.Process);
        _threads++;
    }
}
