using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Split;

/// <summary>Where the verdict for a class of system calls is decided.</summary>
public enum SplitKind
{
    /// <summary>A constant action returned by the kernel filter.</summary>
    Static,
    /// <summary>Decided by the kernel filter from the arguments (profile rules), still without user space.</summary>
    KernelArguments,
    /// <summary>USER_NOTIF: the supervisor runs the whole chain.</summary>
    Dynamic,
}

/// <summary>
/// The plan for syscall numbers [Low, High] of one audit arch (a single number for real system
/// calls; ranges for numbers no filter tells apart).
/// </summary>
public sealed record SplitEntry(uint Low, uint High, SplitKind Kind, uint Action, string? Reason, string? Filter,
    IReadOnlyList<RulePlan> Rules)
{
    public bool IsSingle => Low == High;
    public SeccompAction KernelAction => new(Kind == SplitKind.Dynamic ? SeccompAction.UserNotif : Action);
}

/// <summary>The split for one audit arch; <paramref name="Arches"/> are the ABIs that share it (x86_64 and x32).</summary>
public sealed record ArchSplit(uint AuditArch, IReadOnlyList<SyscallArch> Arches, IReadOnlyList<SplitEntry> Entries)
{
    public string Name => string.Join("+", Arches.Select(a => a.ShortName()));

    public string? SyscallName(uint nr)
    {
        foreach (var arch in Arches)
            if (SyscallTable.For(arch).NameOf((int)nr) is string name)
                return arch == SyscallArch.X32 && Arches.Count > 1 ? $"{name}/x32" : name;
        return null;
    }

    public SplitEntry EntryFor(uint nr) => Entries[IndexFor(nr)];

    /// <summary>The index of the entry whose range holds <paramref name="nr"/> (entries are sorted and cover every number).</summary>
    public int IndexFor(uint nr)
    {
        int lo = 0, hi = Entries.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (Entries[mid].Low <= nr) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>Entries for numbers with a name in one of the ABIs' tables.</summary>
    public IEnumerable<(string Name, SplitEntry Entry)> NamedEntries() =>
        Entries.Where(e => e.IsSingle).Select(e => (Name: SyscallName(e.Low), Entry: e)).Where(x => x.Name is not null).Select(x => (x.Name!, x.Entry));
}

/// <summary>The static/dynamic split of a policy: per audit arch, and one outcome for every other arch.</summary>
public sealed record SplitPlan(PolicyStack Stack, IReadOnlyList<ArchSplit> Arches, SplitEntry OtherArches)
{
    public bool NeedsSupervisor => OtherArches.Kind == SplitKind.Dynamic || Arches.Any(a => a.Entries.Any(e => e.Kind == SplitKind.Dynamic));
}
