using SeccompEbpf.Bpf;
using SeccompEbpf.Classic;

namespace SeccompEbpf.Model;

/// <summary>
/// The result of seccomp(SECCOMP_SET_MODE_FILTER): 0 on success, the listener with NEW_LISTENER,
/// or an errno with the reason. A TSYNC failure without TSYNC_ESRCH returns the id of the thread
/// that could not be synchronised (a positive value, as the kernel does).
/// </summary>
public sealed record AttachResult(int Errno, string? Reason, SeccompListener? Listener = null, int FailedThread = 0, BpfError? FilterError = null)
{
    public bool IsSuccess => Errno == 0 && FailedThread == 0;

    public static AttachResult Success(SeccompListener? listener) => new(0, null, listener);
    public static AttachResult Fail(int errno, string reason, BpfError? filterError = null) => new(errno, reason, FilterError: filterError);

    public override string ToString() => IsSuccess
        ? Listener is null ? "0" : $"{Listener}"
        : FailedThread != 0 ? $"{FailedThread} (thread {FailedThread} cannot be synchronised)" : $"-{LinuxErrno.Name(Errno)}: {Reason}";
}

/// <summary>
/// seccomp(SECCOMP_SET_MODE_FILTER, flags, filter) on the model, in the kernel's order of checks:
/// flags; then preparing the filter (classic: length, privilege, checker; eBPF: handle, user
/// namespace, privilege); then a duplicate listener; then the instruction limit; then TSYNC.
/// </summary>
public static class SeccompAttach
{
    private static int _nextListener = 1000;

    public static AttachResult AttachClassic(SeccompThread thread, IReadOnlyList<ClassicInstruction> program, uint flags, string name = "classic")
    {
        var flavor = thread.Process.System.Flavor;
        if (CheckFlags(flags, flavor) is { } flagError) return flagError;
        if (flavor == KernelFlavor.Proposal && (flags & SeccompFilterFlags.Extended) != 0)
            return AttachResult.Fail(LinuxErrno.EINVAL, "EXTENDED expects an eBPF program handle, not a classic filter");
        // Upstream seccomp_prepare_filter: the length, then the privilege, then the checker.
        if (program.Count is 0 or > ClassicInstruction.MaxInstructions)
            return AttachResult.Fail(LinuxErrno.EINVAL, $"a classic filter needs 1 to {ClassicInstruction.MaxInstructions} instructions, got {program.Count}");
        if (MissingPrivilege(thread) is { } privilegeError) return privilegeError;
        var checkedProgram = ClassicChecker.Check(program);
        if (!checkedProgram.IsOk)
            return AttachResult.Fail(LinuxErrno.EINVAL, $"the filter is invalid: {checkedProgram.Error}", checkedProgram.Error);
        return Attach(thread, new ClassicSeccompFilter(checkedProgram.Value, name), flags, onSuccess: null);
    }

    public static AttachResult AttachExtended(SeccompThread thread, SeccompProgramHandle handle, uint flags)
    {
        var flavor = thread.Process.System.Flavor;
        if (flavor == KernelFlavor.Upstream)
            return AttachResult.Fail(LinuxErrno.EINVAL, "upstream kernels take only classic filters (choose the Proposal flavor for eBPF filters)");
        if (CheckFlags(flags, flavor) is { } flagError) return flagError;
        if ((flags & SeccompFilterFlags.Extended) == 0)
            return AttachResult.Fail(LinuxErrno.EINVAL, "an eBPF program is attached with SECCOMP_FILTER_FLAG_EXTENDED");
        // The proposal prepares the filter first (fd, then namespace) and checks privilege after.
        if (handle.Program is not { } program)
            return AttachResult.Fail(LinuxErrno.EBADF, "the program handle is closed (it was already attached or closed)");
        if (program.LoaderUserNamespace != thread.Credentials.UserNamespace)
            return AttachResult.Fail(LinuxErrno.EPERM, $"the program was loaded in user namespace {program.LoaderUserNamespace.Id}, the caller is in {thread.Credentials.UserNamespace.Id}");
        if (MissingPrivilege(thread) is { } privilegeError) return privilegeError;
        return Attach(thread, new ExtendedSeccompFilter(program), flags, onSuccess: () => handle.Take());
    }

    private static AttachResult? CheckFlags(uint flags, KernelFlavor flavor)
    {
        uint unknown = flags & ~SeccompFilterFlags.Known(flavor);
        if (unknown != 0)
            return AttachResult.Fail(LinuxErrno.EINVAL, $"unknown flags 0x{unknown:x}");
        // A TSYNC failure returns a thread id, which could not be told from a listener fd.
        if ((flags & SeccompFilterFlags.Tsync) != 0 && (flags & SeccompFilterFlags.NewListener) != 0 && (flags & SeccompFilterFlags.TsyncEsrch) == 0)
            return AttachResult.Fail(LinuxErrno.EINVAL, "TSYNC with NEW_LISTENER needs TSYNC_ESRCH");
        if (flavor == KernelFlavor.Upstream && (flags & SeccompFilterFlags.WaitKillableRecv) != 0 && (flags & SeccompFilterFlags.NewListener) == 0)
            return AttachResult.Fail(LinuxErrno.EINVAL, "WAIT_KILLABLE_RECV needs NEW_LISTENER");
        return null;
    }

    private static AttachResult? MissingPrivilege(SeccompThread thread) =>
        thread.NoNewPrivs || thread.Credentials.CapSysAdmin
            ? null
            : AttachResult.Fail(LinuxErrno.EACCES, "set no_new_privs (prctl PR_SET_NO_NEW_PRIVS) or hold CAP_SYS_ADMIN to install a filter");

    private static AttachResult Attach(SeccompThread thread, ISeccompFilter filter, uint flags, Action? onSuccess)
    {
        bool wantsListener = (flags & SeccompFilterFlags.NewListener) != 0;
        if (wantsListener && thread.Chain is { } existing && existing.NewestFirst().Any(n => n.Listener is not null))
            return AttachResult.Fail(LinuxErrno.EBUSY, "a filter of this thread already has a notification listener");

        int total = thread.Chain?.TotalWithNewFilter(filter.LengthForLimit) ?? filter.LengthForLimit;
        if (total > FilterChain.MaxTotalLength)
            return AttachResult.Fail(LinuxErrno.ENOMEM, $"the filters would total {total} instructions (each older filter counts 4 more); the limit is {FilterChain.MaxTotalLength}");

        bool tsync = (flags & SeccompFilterFlags.Tsync) != 0;
        if (tsync && ThreadThatCannotSync(thread) is { } blocker)
        {
            return (flags & SeccompFilterFlags.TsyncEsrch) != 0
                ? AttachResult.Fail(LinuxErrno.ESRCH, $"thread {blocker.Tid} has filters that are not a prefix of this thread's")
                : new AttachResult(0, $"thread {blocker.Tid} has filters that are not a prefix of this thread's", FailedThread: blocker.Tid);
        }

        var listener = wantsListener ? new SeccompListener(Interlocked.Increment(ref _nextListener)) : null;
        var chain = new FilterChain(filter, thread.Chain, (flags & SeccompFilterFlags.Log) != 0, listener);
        thread.Chain = chain;
        if (tsync)
        {
            foreach (var other in thread.Process.Threads)
            {
                other.Chain = chain;
                if (thread.NoNewPrivs) other.NoNewPrivs = true;
            }
        }
        onSuccess?.Invoke();
        return AttachResult.Success(listener);
    }

    // Another thread can take this thread's new chain only if its own filters are part of it.
    private static SeccompThread? ThreadThatCannotSync(SeccompThread thread) =>
        thread.Process.Threads.FirstOrDefault(other =>
            !ReferenceEquals(other, thread) && other.Chain is not null && !(thread.Chain?.Contains(other.Chain) ?? false));
}
