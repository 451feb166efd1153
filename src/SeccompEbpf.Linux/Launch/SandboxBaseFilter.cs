using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Bpf.LinuxErrno;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// The sandbox's own kernel filter, installed under every policy `run` enforces (before the policy's
/// filter, so it is the older one; the kernel runs both and the stricter verdict wins). It refuses
/// what no policy may grant a sandboxed program because it reaches outside the sandbox:
/// <list type="bullet">
/// <item>ioctl TIOCSTI and TIOCLINUX on any fd (EPERM): pushing input into a terminal the user's shell
///   reads after the sandbox ends (CVE-2017-5226). The command word is compared on its low 32 bits only,
///   as the kernel truncates it: 0x1_0000_5412 is TIOCSTI too.</item>
/// <item>seccomp() with SECCOMP_FILTER_FLAG_NEW_LISTENER (EINVAL, as Incus does) when the plan has no
///   listener of its own: a listener the program owned would let it answer its own descendants' calls.
///   When the plan has one, the kernel already refuses a second with EBUSY, and this rule would refuse
///   ours.</item>
/// <item>Where Landlock cannot scope signals (ABI &lt; 6): kill, tkill, tgkill, rt_sigqueueinfo,
///   rt_tgsigqueueinfo and pidfd_open naming the supervisor, kill(-1) and kill(-supervisor's group)
///   (EPERM). kill(0) is left to the command: it reaches its own group, which the supervisor shares.</item>
/// </list>
/// Every ABI the machine runs is covered (x86_64, x32 and i386 on an x86_64 kernel), so a 32-bit entry
/// point is no way around it. Anything else is allowed here and left to the policy.
/// </summary>
public static partial class SandboxBaseFilter
{
    public const uint TIOCSTI = 0x5412, TIOCLINUX = 0x541C;


    /// <summary>The supervisor as seen by the program, for the signal rules.</summary>
    public readonly record struct SignalGuard(int SupervisorPid, int SupervisorProcessGroup);

    private static readonly string[] SignalCallsNamingATarget = ["kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open"];

    /// <summary>
    /// The filter for this machine. The usual case (x86_64, Landlock scoping signals, so no pid to name)
    /// comes built in (SandboxBaseFilter.g.cs, written by tools/default-policy-filter and checked by a
    /// test): building it costs a first run about a hundred JIT-compiled methods.
    /// </summary>
    public static ClassicInstruction[] For(bool refuseNewListener, SignalGuard? signals) =>
        signals is null && NativeArch.Known == SyscallArch.X86_64
            ? ClassicInstruction.Decode(refuseNewListener ? X86_64RefusingNewListener : X86_64WithListener)
            : Build(NativeArch.ReachableAbis, refuseNewListener, signals);

    public static ClassicInstruction[] Build(IReadOnlyList<SyscallArch> abis, bool refuseNewListener, SignalGuard? signals)
    {
        var g = new FilterGraph();
        int allow = g.Return(SeccompAction.Allow);
        int eperm = g.Return(SeccompAction.Errno | EPERM);
        int einval = g.Return(SeccompAction.Errno | EINVAL);

        int ioctl = LoadLowWord(g, 1, g.Jump(JeqK, TIOCSTI, eperm, g.Jump(JeqK, TIOCLINUX, eperm, allow)));
        int seccomp = LoadLowWord(g, 1, g.Jump(JsetK, SeccompFilterFlags.NewListener, einval, allow));
        int? namesSupervisor = signals is { } s ? LoadLowWord(g, 0, g.Jump(JeqK, (uint)s.SupervisorPid, eperm, allow)) : null;
        int? killNamesSupervisor = signals is { } k
            ? LoadLowWord(g, 0, g.Jump(JeqK, (uint)k.SupervisorPid, eperm,
                g.Jump(JeqK, unchecked((uint)-1), eperm, g.Jump(JeqK, unchecked((uint)-k.SupervisorProcessGroup), eperm, allow))))
            : null;

        int next = allow;
        foreach (var group in abis.GroupBy(a => a.AuditArch()).Reverse())
        {
            var targets = new List<(int Nr, int Node)>();
            foreach (var abi in group)
            {
                var table = SyscallTable.For(abi);
                Add(targets, table, "ioctl", ioctl);
                if (refuseNewListener) Add(targets, table, "seccomp", seccomp);
                if (namesSupervisor is { } target)
                    foreach (var name in SignalCallsNamingATarget)
                        Add(targets, table, name, name == "kill" ? killNamesSupervisor!.Value : target);
            }
            int dispatch = allow;
            foreach (var (nr, node) in targets.OrderByDescending(t => t.Nr))
                dispatch = g.Jump(JeqK, (uint)nr, node, dispatch);
            next = g.Jump(JeqK, group.Key, g.Load(SeccompData.NrOffset, dispatch), next);
        }
        var program = g.Emit(g.Load(SeccompData.ArchOffset, next));
        var check = ClassicChecker.Check(program);
        if (!check.IsOk) throw new InvalidOperationException($"internal error: the sandbox base filter fails the kernel's checks: {check.Error}");
        return program;
    }

    /// <summary>The low 32 bits of an argument: what the kernel uses of an int or unsigned int parameter.</summary>
    private static int LoadLowWord(FilterGraph g, int argument, int next) =>
        g.Load((uint)SeccompData.ArgOffset(argument), next); // little-endian: the low word comes first

    private static void Add(List<(int, int)> targets, SyscallTable table, string name, int node)
    {
        if (table.TryGetNumber(name, out var nr)) targets.Add((nr, node));
    }
}
