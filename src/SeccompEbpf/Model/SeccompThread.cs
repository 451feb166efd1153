namespace SeccompEbpf.Model;

/// <summary>The credentials that decide whether a thread may attach a filter.</summary>
public sealed record SeccompCredentials(bool CapSysAdmin, UserNamespaceId UserNamespace)
{
    public static SeccompCredentials Unprivileged { get; } = new(false, UserNamespaceId.Initial);
    public static SeccompCredentials Root { get; } = new(true, UserNamespaceId.Initial);
}

/// <summary>
/// A thread's seccomp state: its filter chain, no_new_privs and credentials. Filters are
/// per thread in Linux; fork gives the child the same chain object (and so the same eBPF maps),
/// exec keeps it, and nothing removes a filter.
/// </summary>
public sealed class SeccompThread : Helpers.ISeccompTaskView
{
    internal SeccompThread(SeccompProcess process, int tid, FilterChain? chain, bool noNewPrivs, SeccompCredentials credentials)
    {
        Process = process;
        Tid = tid;
        Chain = chain;
        NoNewPrivs = noNewPrivs;
        Credentials = credentials;
    }

    public SeccompProcess Process { get; }
    public int Tid { get; }
    public FilterChain? Chain { get; internal set; }
    public bool NoNewPrivs { get; internal set; }
    public SeccompCredentials Credentials { get; set; }

    /// <summary>prctl(PR_SET_NO_NEW_PRIVS, 1): can be set, never cleared.</summary>
    public void SetNoNewPrivs() => NoNewPrivs = true;

    /// <summary>The verdict for a system call of this thread (ALLOW without filters).</summary>
    public ChainVerdict Evaluate(in SeccompData data) =>
        Chain?.Evaluate(in data, this) ?? new ChainVerdict(SeccompAction.AllowAction, null, []);

    /// <summary>fork(): a new process whose only thread shares this thread's chain.</summary>
    public SeccompThread Fork() => Process.System.NewProcess(this).MainThread;

    /// <summary>clone(CLONE_THREAD): a new thread in the same process with the same chain.</summary>
    public SeccompThread CloneThread() => Process.AddThread(this);

    /// <summary>execve(): the filters stay; the other threads of the process end.</summary>
    public void Exec() => Process.KeepOnly(this);

    /// <summary>uid and gid as seen from the initial user namespace (what get_current_uid_gid reports).</summary>
    public (uint Uid, uint Gid) InitialNamespaceIds { get; set; }

    /// <summary>The simulated model has one pid namespace, the initial one: ids elsewhere are not visible.</summary>
    public (int Pid, int Tgid)? IdsIn(Helpers.PidNamespaceId pidNamespace) =>
        pidNamespace == Helpers.PidNamespaceId.Initial ? (Tid, Process.Pid) : null;

    public bool IsDumpable => Process.IsDumpable;

    public int ReadMemory(ulong address, Span<byte> destination) => Process.Memory.Read(address, destination);

    /// <summary>Per-process eBPF storage is keyed by the thread-group leader, i.e. the process.</summary>
    ulong Bpf.Engine.IProcessEnvironment.CurrentProcessKey => (ulong)Process.Pid;

    public override string ToString() => $"thread {Tid} of process {Process.Pid}";
}

/// <summary>A thread group.</summary>
public sealed class SeccompProcess
{
    private readonly List<SeccompThread> _threads = [];

    internal SeccompProcess(SeccompSystem system, int pid)
    {
        System = system;
        Pid = pid;
    }

    public SeccompSystem System { get; }
    public int Pid { get; }
    public IReadOnlyList<SeccompThread> Threads => _threads;
    public SeccompThread MainThread => _threads[0];

    /// <summary>The process's user memory, for helpers that read it.</summary>
    public Helpers.SimulatedMemory Memory { get; internal set; } = new();

    /// <summary>prctl(PR_SET_DUMPABLE); setuid programs and secrets make a process non-dumpable.</summary>
    public bool IsDumpable { get; set; } = true;

    internal SeccompThread AddThread(SeccompThread? like, SeccompCredentials? credentials = null, int? tid = null)
    {
        var thread = new SeccompThread(this, tid ?? System.NextId(), like?.Chain, like?.NoNewPrivs ?? false,
            credentials ?? like?.Credentials ?? SeccompCredentials.Unprivileged)
        {
            InitialNamespaceIds = like?.InitialNamespaceIds ?? default,
        };
        _threads.Add(thread);
        return thread;
    }

    internal void KeepOnly(SeccompThread thread) => _threads.RemoveAll(t => !ReferenceEquals(t, thread));
}

/// <summary>The world of processes the model tracks; hands out ids and listeners.</summary>
public sealed class SeccompSystem(KernelFlavor flavor = KernelFlavor.Upstream)
{
    private int _nextId = 1;

    public KernelFlavor Flavor { get; } = flavor;

    internal int NextId() => _nextId++;

    /// <summary>A new process with one thread and no filters.</summary>
    public SeccompThread Spawn(SeccompCredentials credentials)
    {
        int pid = NextId();
        var process = new SeccompProcess(this, pid);
        return process.AddThread(null, credentials, pid);
    }

    internal SeccompProcess NewProcess(SeccompThread parent)
    {
        int pid = NextId();
        var process = new SeccompProcess(this, pid)
        {
            Memory = parent.Process.Memory.Clone(),
            IsDumpable = parent.Process.IsDumpable,
        };
        process.AddThread(parent, tid: pid);
        return process;
    }
}
