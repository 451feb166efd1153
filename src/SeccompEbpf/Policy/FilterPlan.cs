using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy;

/// <summary>
/// A profile resolved for one target: per audit arch, the action of every system call number as
/// rules over normalised argument tests. This is the single meaning both compilers (cBPF, eBPF)
/// implement, and <see cref="Evaluate"/> states it directly.
/// </summary>
public sealed record FilterPlan(IReadOnlyList<ArchGroup> Groups, SeccompAction BadArchAction)
{
    /// <summary>The verdict of the policy for one system call (the specification the compilers must match).</summary>
    public uint Evaluate(in SeccompData data)
    {
        foreach (var g in Groups)
            if (g.AuditArch == data.Arch)
                return g.Evaluate(in data, BadArchAction);
        return BadArchAction.Value;
    }
}

/// <summary>What numbers the group refuses as belonging to another ABI (x86_64 vs x32 share an audit arch).</summary>
public enum NrGuard
{
    None,
    /// <summary>x86_64 without x32: numbers with the x32 bit (other than -1) are a bad arch, as in libseccomp.</summary>
    RejectX32,
    /// <summary>x32 without x86_64: numbers without the x32 bit are a bad arch.</summary>
    RequireX32,
}

/// <summary>All ABIs that share one AUDIT_ARCH value (x86_64 and x32), merged into one number space.</summary>
public sealed record ArchGroup(uint AuditArch, IReadOnlyList<SyscallArch> Arches, NrGuard Guard,
    SeccompAction DefaultAction, IReadOnlyDictionary<uint, SyscallPlan> ByNumber)
{
    public const uint X32Bit = 0x40000000;

    /// <summary>The ABIs of this audit arch store arguments big-endian (the high word first in seccomp_data).</summary>
    public bool BigEndian => Model.AuditArch.IsBigEndian(AuditArch);

    /// <summary>True when <paramref name="nr"/> belongs to another ABI of the same audit arch.</summary>
    public bool IsForeignNr(uint nr) => Guard switch
    {
        NrGuard.RejectX32 => nr >= X32Bit && nr != uint.MaxValue,
        NrGuard.RequireX32 => nr < X32Bit,
        _ => false,
    };

    public uint Evaluate(in SeccompData data, SeccompAction badArch)
    {
        var nr = (uint)data.Nr;
        if (IsForeignNr(nr)) return badArch.Value;
        return ByNumber.TryGetValue(nr, out var plan) ? plan.Evaluate(in data, DefaultAction).Value : DefaultAction.Value;
    }
}

/// <summary>
/// The rules of one system call. An unconditional rule decides alone (as in libseccomp);
/// otherwise the first rule whose tests all hold decides, and none means the default action.
/// </summary>
public sealed record SyscallPlan(uint Nr, string Name, IReadOnlyList<RulePlan> Rules)
{
    public SeccompAction Evaluate(in SeccompData data, SeccompAction defaultAction)
    {
        foreach (var rule in Rules)
            if (rule.Matches(in data))
                return rule.Action;
        return defaultAction;
    }
}

public sealed record RulePlan(IReadOnlyList<ArgTest> Tests, SeccompAction Action)
{
    public bool Matches(in SeccompData data)
    {
        foreach (var t in Tests)
            if (!t.Matches(in data))
                return false;
        return true;
    }
}

/// <summary>
/// One normalised argument test, libseccomp's meaning: MASKED_EQ compares (arg &amp; Mask) with
/// (datum &amp; Mask); on ABIs with 32-bit arguments only the low word is compared, against the low
/// word of the datum.
/// </summary>
public sealed record ArgTest(int Index, ComparisonOperator Op, ulong Datum, ulong Mask, bool Wide)
{
    public static ArgTest From(ArgCondition c, bool wide)
    {
        ulong width = wide ? ulong.MaxValue : uint.MaxValue;
        return c.Op == ComparisonOperator.MaskedEqual
            ? new ArgTest(c.Index, c.Op, c.ValueTwo & c.Value & width, c.Value & width, wide)
            : new ArgTest(c.Index, c.Op, c.Value & width, width, wide);
    }

    public bool Matches(in SeccompData data)
    {
        ulong arg = data.Args[Index];
        if (!Wide) arg &= uint.MaxValue;
        return Op switch
        {
            ComparisonOperator.Equal => arg == Datum,
            ComparisonOperator.NotEqual => arg != Datum,
            ComparisonOperator.LessThan => arg < Datum,
            ComparisonOperator.LessOrEqual => arg <= Datum,
            ComparisonOperator.GreaterThan => arg > Datum,
            ComparisonOperator.GreaterOrEqual => arg >= Datum,
            ComparisonOperator.MaskedEqual => (arg & Mask) == Datum,
            _ => false,
        };
    }

    public override string ToString() => Op == ComparisonOperator.MaskedEqual
        ? $"(a{Index} & 0x{Mask:x}) == 0x{Datum:x}"
        : $"a{Index} {Op.Name()["SCMP_CMP_".Length..]} 0x{Datum:x}";
}
