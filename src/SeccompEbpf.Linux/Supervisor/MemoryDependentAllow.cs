using SeccompEbpf.Linux.Supervisor.Emulation;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Supervisor;

/// <summary>
/// Carries out an ALLOW (or LOG) whose verdict depended on the caller's memory. Continuing the call
/// would let the kernel read that memory again, after another thread of the caller may have changed
/// it (seccomp_unotify(2): CONTINUE must not carry a security decision). So:
/// <list type="bullet">
/// <item>open, openat, openat2, creat (every ABI of the machine): the supervisor opens the file itself,
/// on the bytes the filter checked, and injects the descriptor (<see cref="OpenEmulator"/>);</item>
/// <item>any other call: EPERM, logged with the reason, and said once on stderr;</item>
/// <item>unless the policy opted in to the racy behaviour (<c>--allow-racy-memory-checks</c>): then the
/// call is continued and logged as racy.</item>
/// </list>
/// A DENY needs none of this: the call never runs.
/// </summary>
internal sealed class MemoryDependentAllow
{
    public const string RefusalReason = "memory-dependent ALLOW cannot be carried out race-free";
    private const string RacyNote = "racy: memory-dependent ALLOW continued (the kernel reads the caller's memory again)";
    private readonly OpenEmulator _opens = new();
    private readonly HashSet<(uint Arch, int Nr)> _warned = [];
    private readonly TextWriter _warnings;

    public MemoryDependentAllow(TextWriter? warnings = null) => _warnings = warnings ?? Console.Error;

    public static bool Applies(in SyscallDecision decision) =>
        decision.MemoryRead is not null && decision.Action.EffectiveAction is SeccompAction.Allow or SeccompAction.Log;

    public void Respond(SeccompListener listener, in SyscallNotification n, in SyscallDecision decision, DecisionLog? log)
    {
        var data = n.Data;
        if (decision.MayContinueRacily)
        {
            log?.Write(n, decision, RacyNote);
            ActionResponder.Respond(listener, n, decision.Action);
            return;
        }
        if (OpenFamily.TryGet(data.Arch, data.Nr, out var open))
        {
            OpenEmulator.Outcome outcome;
            try { outcome = _opens.Emulate(listener, n, open, decision.MemoryRead!); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Fail closed, as for a decider that throws: the call does not run.
                outcome = OpenEmulator.Answer(listener, n.Id, -SeccompEbpf.Bpf.LinuxErrno.EPERM, $"the open emulation failed: {e.GetType().Name}: {e.Message}");
            }
            if (log is not null && (outcome.Note is not null || decision.Action.EffectiveAction == SeccompAction.Log))
                log.Write(n, decision, outcome.Note is { } note ? "emulated open: " + note : "emulated open", outcome.Result);
            return;
        }
        listener.TrySendError(n.Id, SeccompEbpf.Bpf.LinuxErrno.EPERM);
        log?.Write(n, decision with { Action = SeccompAction.ErrnoAction(SeccompEbpf.Bpf.LinuxErrno.EPERM) }, RefusalReason);
        if (_warned.Add((data.Arch, data.Nr)))
            _warnings.WriteLine($"seccomp-ebpf run: {NameOf(data.Arch, data.Nr)}: {RefusalReason} (the filter read the caller's memory); refused with EPERM. "
                + "--allow-racy-memory-checks continues such calls, racily.");
    }

    private static string NameOf(uint arch, int nr)
    {
        foreach (var abi in OpenFamily.MachineAbis)
            if (abi.AuditArch() == arch && SyscallTable.For(abi).NameOf(nr) is { } name) return name;
        return $"system call {nr} ({AuditArch.Name(arch)})";
    }
}
