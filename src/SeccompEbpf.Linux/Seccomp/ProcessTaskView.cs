using System.Runtime.InteropServices;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Bpf.LinuxErrno;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Model.Helpers;

namespace SeccompEbpf.Linux.Seccomp;

/// <summary>
/// The real process behind one notified call, as the seccomp helpers see it. One instance is reused
/// for every notification (the supervisor decides one call at a time); <see cref="Reset"/> points it
/// at the next caller and drops what was cached for the previous one.
/// <list type="bullet">
/// <item>uid/gid: the real ids on the "Uid:"/"Gid:" lines of /proc/PID/status. /proc shows ids mapped
/// into the reader's user namespace; the supervisor runs in the initial one, so these are initial-namespace ids.</item>
/// <item>pid/tgid: in the loader's pid namespace, which is the supervisor's (it loads the policy). The
/// kernel reports the caller's pid in the listener owner's namespace; tgid comes from "Tgid:" of our /proc.
/// Any other namespace asked for is not visible (null).</item>
/// <item>dumpable: the kernel makes /proc/PID owned by root when a process is not dumpable; we compare the
/// owner with the process's effective uid. A root process always looks dumpable, but reading its memory
/// still needs ptrace access, which process_vm_readv checks itself (-EPERM).</item>
/// <item>memory: process_vm_readv page by page (stops at the first unmapped page), then the notification-id
/// validity check: a stale caller (dead, pid maybe reused) gives -ESRCH, never data. Every read is
/// recorded (<see cref="TakeMemoryRead"/>): a verdict that depended on these bytes must be carried out
/// on them, not continued (the kernel would read the memory again).</item>
/// <item>per-process storage: keyed by tgid, as the kernel's task storage is keyed by the group leader;
/// the entry goes when the process ends (see <see cref="ChainDecider"/>). A caller that is the main thread
/// of a process already followed for its storage is known to be its own tgid, with no /proc read.</item>
/// </list>
/// Every failure is a value: a helper that cannot learn something reports an errno to the program.
/// </summary>
public sealed class ProcessTaskView : ISeccompTaskView
{
    private readonly long _loaderPidNamespace;
    private readonly ProcessExitWatcher? _exits;
    private NotifiedProcess _process;
    private string? _status;
    private int? _tgid;
    private CallerMemory? _memoryRead; // null until a run reads memory: the no-read path allocates nothing

    public ProcessTaskView(PidNamespaceId loaderPidNamespace) : this(loaderPidNamespace, null) { }

    /// <param name="exits">Processes known to be alive: a caller whose pid is one of them is that process's
    /// main thread, so its tgid is its pid and /proc need not be read.</param>
    internal ProcessTaskView(PidNamespaceId loaderPidNamespace, ProcessExitWatcher? exits)
    {
        _loaderPidNamespace = loaderPidNamespace.Id;
        _exits = exits;
    }

    /// <summary>The inode of this process's pid namespace (what a loader records at load time).</summary>
    public static PidNamespaceId CurrentPidNamespace()
    {
        try
        {
            var target = new FileInfo("/proc/self/ns/pid").LinkTarget; // "pid:[4026531836]"
            if (target is not null && target.StartsWith("pid:[") && long.TryParse(target[5..^1], out var inode)) return new PidNamespaceId(inode);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return PidNamespaceId.Initial;
    }

    public void Reset(NotifiedProcess process)
    {
        _process = process;
        _status = null;
        _tgid = null;
        _memoryRead = null;
    }

    /// <summary>What this run read of the caller's memory (null: nothing), handed to the decision.</summary>
    public CallerMemory? TakeMemoryRead()
    {
        var read = _memoryRead;
        _memoryRead = null;
        return read;
    }

    /// <summary>The caller's tgid if this run asked for it (null otherwise).</summary>
    public int? KnownTgid => _tgid;

    public int Pid => _process.Pid;

    private string Status
    {
        get
        {
            if (_status is not null) return _status;
            try { _status = File.ReadAllText($"/proc/{_process.Pid}/status"); }
            catch (IOException) { _status = ""; }
            catch (UnauthorizedAccessException) { _status = ""; }
            return _status;
        }
    }

    private uint? Field(string name, int index) => ProcessIds.ParseField(Status, name) is { } values && values.Length > index ? values[index] : null;

    /// <summary>The caller's tgid, or its pid when /proc no longer shows it (the run then fails the validity checks anyway).</summary>
    public int Tgid => _tgid ??= _exits?.IsWatched(_process.Pid) == true ? _process.Pid
        : Field("Tgid:", 0) is { } tgid ? (int)tgid : _process.Pid;

    public ulong CurrentProcessKey => (ulong)Tgid;

    public (uint Uid, uint Gid) InitialNamespaceIds => (Field("Uid:", 0) ?? uint.MaxValue, Field("Gid:", 0) ?? uint.MaxValue);

    public (int Pid, int Tgid)? IdsIn(PidNamespaceId pidNamespace)
    {
        if (pidNamespace.Id != _loaderPidNamespace && pidNamespace != PidNamespaceId.Initial) return null;
        return (_process.Pid, Tgid);
    }

    public bool IsDumpable
    {
        get
        {
            if (Field("Uid:", 1) is not { } euid) return false;
            return OwnerOf($"/proc/{_process.Pid}") is { } owner && (owner == euid || euid == 0);
        }
    }

    private static unsafe uint? OwnerOf(string path)
    {
        const int AtFdCwd = -100;
        const uint StatxUid = 0x8;
        byte* buffer = stackalloc byte[256];
        if (LibC.Statx(AtFdCwd, path, 0, StatxUid, buffer) != 0) return null;
        return *(uint*)(buffer + 20);
    }

    public unsafe int ReadMemory(ulong address, Span<byte> destination)
    {
        const int Page = 4096;
        int copied = 0, error = 0;
        fixed (byte* local = destination)
        {
            while (copied < destination.Length)
            {
                int chunk = (int)Math.Min((ulong)(destination.Length - copied), Page - (address + (ulong)copied) % Page);
                var localVec = new IoVec { Base = local + copied, Length = (nuint)chunk };
                var remoteVec = new IoVec { Base = (void*)(address + (ulong)copied), Length = (nuint)chunk };
                var read = LibC.ProcessVmReadv(_process.Pid, &localVec, 1, &remoteVec, 1, 0);
                if (read <= 0) { error = read < 0 ? Marshal.GetLastPInvokeError() : EFAULT; break; }
                copied += (int)read;
                if (read < chunk) break;
            }
        }
        if (!_process.IsStillValid) { destination.Clear(); return -ESRCH; }
        // Recorded even when nothing could be read: the filter then decided on a fault at this address.
        if (!destination.IsEmpty) (_memoryRead ??= new CallerMemory()).Add(address, destination[..copied], destination.Length);
        if (copied == 0 && error != 0) return error == EFAULT ? -EFAULT : -error;
        return copied;
    }
}
