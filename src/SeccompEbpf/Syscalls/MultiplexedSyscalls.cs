namespace SeccompEbpf.Syscalls;

/// <summary>
/// On ABIs that multiplex (i386, m68k, mips o32, ppc, ppc64, s390, s390x, sh), the socket and
/// System V IPC calls reach the kernel two ways: directly where the kernel has a number for them
/// (since Linux 4.3 for most socket calls) and through socketcall(call, args) and ipc(call, ...).
/// Like libseccomp (abi_rule_add), a rule on such a call also guards the multiplexer with
/// arg0 == call number (linux/net.h SYS_*, linux/ipc.h), its other conditions kept.
/// </summary>
public static class MultiplexedSyscalls
{
    public const string SocketCall = "socketcall";
    public const string Ipc = "ipc";

    private static readonly Dictionary<string, int> SocketCalls = new(StringComparer.Ordinal)
    {
        ["socket"] = 1, ["bind"] = 2, ["connect"] = 3, ["listen"] = 4, ["accept"] = 5,
        ["getsockname"] = 6, ["getpeername"] = 7, ["socketpair"] = 8, ["send"] = 9, ["recv"] = 10,
        ["sendto"] = 11, ["recvfrom"] = 12, ["shutdown"] = 13, ["setsockopt"] = 14, ["getsockopt"] = 15,
        ["sendmsg"] = 16, ["recvmsg"] = 17, ["accept4"] = 18, ["recvmmsg"] = 19, ["sendmmsg"] = 20,
    };

    private static readonly Dictionary<string, int> IpcCalls = new(StringComparer.Ordinal)
    {
        ["semop"] = 1, ["semget"] = 2, ["semctl"] = 3, ["semtimedop"] = 4,
        ["msgsnd"] = 11, ["msgrcv"] = 12, ["msgget"] = 13, ["msgctl"] = 14,
        ["shmat"] = 21, ["shmdt"] = 22, ["shmget"] = 23, ["shmctl"] = 24,
    };

    /// <summary>The multiplexer and call number of <paramref name="name"/> on an ABI that multiplexes, whatever the ABI.</summary>
    public static bool TryGetFamily(string name, out string multiplexer, out int call)
    {
        multiplexer = "";
        if (SocketCalls.TryGetValue(name, out call)) { multiplexer = SocketCall; return true; }
        if (IpcCalls.TryGetValue(name, out call)) { multiplexer = Ipc; return true; }
        return false;
    }

    /// <summary>On <paramref name="arch"/>, the multiplexer and call number that also reach <paramref name="name"/>, if any.</summary>
    public static bool TryGet(SyscallArch arch, string name, out string multiplexer, out int call)
    {
        multiplexer = "";
        call = 0;
        return arch.MultiplexesSocketAndIpc() && TryGetFamily(name, out multiplexer, out call);
    }
}
