using System.Runtime.InteropServices;
using SeccompEbpf.Linux.Interop;

namespace SeccompEbpf.Linux.Supervisor.Emulation;

/// <summary>
/// Takes on a caller's filesystem credentials on the current thread only, and gives them back:
/// supplementary groups, fsgid, fsuid, then the effective capabilities (raw setgroups, setfsgid,
/// setfsuid, capset: Linux credentials are per thread, and only glibc's wrappers of setgroups and
/// the setuid family broadcast a change to every thread). The permitted set stays this thread's own,
/// so everything can be restored; setfsuid away from 0 drops the filesystem capabilities from the
/// effective set, and capset then sets exactly the caller's. A restore that fails leaves this thread
/// with someone else's credentials: the process stops at once rather than go on.
/// </summary>
internal sealed unsafe class ThreadCredentials
{
    private const uint CapabilityVersion3 = 0x20080522;
    private readonly int _threadId = Environment.CurrentManagedThreadId; // one OS thread per managed thread: no gettid per check
    private readonly CallerCredentials _own;
    private readonly CapData _ownCaps;
    private bool _switched, _groupsChanged, _fsGidChanged, _fsUidChanged, _capsChanged;

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective0, Permitted0, Inheritable0, Effective1, Permitted1, Inheritable1;
        public readonly ulong Effective => Effective0 | (ulong)Effective1 << 32;
        public readonly ulong Permitted => Permitted0 | (ulong)Permitted1 << 32;
    }

    private ThreadCredentials(CallerCredentials own, CapData caps)
    {
        _own = own;
        _ownCaps = caps;
    }

    /// <summary>The current thread's credentials, or null (with the reason) when they cannot be read.</summary>
    public static ThreadCredentials? ForCurrentThread(out string? failure)
    {
        failure = null;
        CallerCredentials? own;
        try { own = CallerCredentials.Parse(File.ReadAllText($"/proc/thread-self/status")); }
        catch (IOException e) { failure = e.Message; return null; }
        if (own is null) { failure = "/proc/thread-self/status could not be parsed"; return null; }
        var header = new CapHeader { Version = CapabilityVersion3 };
        var caps = default(CapData);
        if (LibC.Syscall(LibC.Nr.CapGet, (long)&header, (long)&caps, 0) != 0) { failure = "capget: " + LibC.ErrnoMessage(LibC.LastErrno); return null; }
        return new ThreadCredentials(own, caps);
    }

    /// <summary>
    /// Takes on <paramref name="caller"/>'s credentials; 0, or EPERM with the reason when this thread
    /// may not (then nothing is left changed). Capabilities from another user namespace mean nothing
    /// in ours: such a caller gets none.
    /// </summary>
    public int Switch(CallerCredentials caller, bool sameUserNamespace, out string? failure)
    {
        CheckThread();
        failure = null;
        _switched = true;
        if (!caller.Groups.AsSpan().SequenceEqual(_own.Groups))
        {
            fixed (uint* groups = caller.Groups)
                if (LibC.Syscall(LibC.Nr.SetGroups, caller.Groups.Length, (long)groups, 0) != 0) return Fail("setgroups: " + LibC.ErrnoMessage(LibC.LastErrno), out failure);
            _groupsChanged = true;
        }
        if (caller.FsGid != _own.FsGid)
        {
            LibC.Syscall(LibC.Nr.SetFsGid, caller.FsGid, 0, 0);
            _fsGidChanged = true;
            if (CurrentFsGid() != caller.FsGid) return Fail("setfsgid was refused", out failure);
        }
        if (caller.FsUid != _own.FsUid)
        {
            LibC.Syscall(LibC.Nr.SetFsUid, caller.FsUid, 0, 0);
            _fsUidChanged = true;
            if (CurrentFsUid() != caller.FsUid) return Fail("setfsuid was refused", out failure);
        }
        ulong effective = (sameUserNamespace ? caller.EffectiveCaps : 0) & _ownCaps.Permitted;
        if (effective != _ownCaps.Effective || _fsUidChanged)
        {
            var caps = _ownCaps with { Effective0 = (uint)effective, Effective1 = (uint)(effective >> 32) };
            _capsChanged = true;
            if (SetCaps(caps) != 0) return Fail("capset: " + LibC.ErrnoMessage(LibC.LastErrno), out failure);
        }
        return 0;
    }

    /// <summary>Gives this thread its own credentials back (a no-op when nothing was switched).</summary>
    public void Restore()
    {
        if (!_switched) return;
        CheckThread();
        bool ok = true;
        // Capabilities first: they include CAP_SETUID/CAP_SETGID, which the id changes below need.
        if (_capsChanged) ok &= SetCaps(_ownCaps) == 0;
        if (_fsUidChanged) { LibC.Syscall(LibC.Nr.SetFsUid, _own.FsUid, 0, 0); ok &= CurrentFsUid() == _own.FsUid; }
        if (_fsGidChanged) { LibC.Syscall(LibC.Nr.SetFsGid, _own.FsGid, 0, 0); ok &= CurrentFsGid() == _own.FsGid; }
        if (_groupsChanged)
            fixed (uint* groups = _own.Groups)
                ok &= LibC.Syscall(LibC.Nr.SetGroups, _own.Groups.Length, (long)groups, 0) == 0;
        if (!ok) Environment.FailFast("seccomp-ebpf: the supervisor could not restore its own credentials after an emulated open");
        _switched = _groupsChanged = _fsGidChanged = _fsUidChanged = _capsChanged = false;
    }

    // setfsuid(-1) changes nothing and returns the current fsuid (the call never reports errors).
    private static uint CurrentFsUid() => (uint)LibC.Syscall(LibC.Nr.SetFsUid, uint.MaxValue, 0, 0);
    private static uint CurrentFsGid() => (uint)LibC.Syscall(LibC.Nr.SetFsGid, uint.MaxValue, 0, 0);

    private static int SetCaps(CapData caps)
    {
        var header = new CapHeader { Version = CapabilityVersion3 };
        return (int)LibC.Syscall(LibC.Nr.CapSet, (long)&header, (long)&caps, 0);
    }

    private int Fail(string what, out string failure)
    {
        failure = $"cannot take on the caller's credentials ({what})";
        Restore();
        return Bpf.LinuxErrno.EPERM;
    }

    private void CheckThread()
    {
        if (Environment.CurrentManagedThreadId != _threadId) throw new InvalidOperationException("credentials are switched on the thread that read them only");
    }
}
