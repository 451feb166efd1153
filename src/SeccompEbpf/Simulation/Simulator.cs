using SeccompEbpf.Bpf;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Simulation;

/// <summary>
/// Runs system calls through a stack of filters on the simulated process model (proposal kernel,
/// so eBPF and classic filters can be mixed). The first process sets no_new_privs and installs
/// the filters oldest first; forked children share its chain and therefore the eBPF maps.
/// </summary>
public static class Simulator
{
    /// <summary>A fresh process with <paramref name="filters"/> installed, or the first refusal.</summary>
    public static BpfResult<SeccompThread> Prepare(IReadOnlyList<SimulationFilter> filters)
    {
        var root = new SeccompSystem(KernelFlavor.Proposal).Spawn(SeccompCredentials.Unprivileged);
        root.SetNoNewPrivs();
        foreach (var filter in filters)
        {
            var attached = filter.AttachTo(root);
            if (!attached.IsSuccess)
                return attached.FilterError is { } error ? error with { Location = filter.Name } : new BpfError($"attach refused: {attached}", Location: filter.Name);
        }
        return root;
    }

    /// <summary>The number of <paramref name="name"/> (a name or a number) on <paramref name="arch"/>, with the x32 bit where it belongs.</summary>
    public static BpfResult<int> ResolveSyscall(string name, SyscallArch arch)
    {
        if (int.TryParse(name, out int number) && number >= 0) return number | (arch == SyscallArch.X32 ? AuditArch.X32SyscallBit : 0);
        var table = SyscallTable.For(arch);
        if (table.TryGetNumber(name, out number)) return number;
        return new BpfError($"{SyscallTable.NotFound(name, arch)}; a number is taken as it is");
    }

    /// <summary>One call by a process prepared with <see cref="Prepare"/>.</summary>
    public static ChainVerdict EvaluateOne(SeccompThread thread, int nr, SyscallArch arch, SeccompArgs args, ulong instructionPointer = 0)
    {
        var data = new SeccompData(nr, arch.AuditArch(), instructionPointer, args);
        return thread.Evaluate(in data);
    }

    /// <summary>Replays an strace trace on a prepared process; names without a number are looked up in <paramref name="arch"/>'s table.</summary>
    public static BpfResult<TraceReplayReport> ReplayTrace(StraceParser.ParsedTrace trace, SeccompThread root, SyscallArch arch)
    {
        var table = SyscallTable.For(arch);
        return TraceReplay.Run(trace, root, arch.AuditArch(), name => table.TryGetNumber(name, out int nr) ? nr : null);
    }
}
