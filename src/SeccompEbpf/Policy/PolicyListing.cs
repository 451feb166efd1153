using System.Text;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy;

/// <summary>
/// A readable listing of a resolved plan, in the spirit of libseccomp's PFC: per audit arch, each
/// syscall's rules and the default. What the filter means, independent of how it is compiled.
/// </summary>
public static class PolicyListing
{
    public static string ToText(FilterPlan plan)
    {
        var text = new StringBuilder();
        text.Append("# seccomp-ebpf policy listing\n");
        foreach (var g in plan.Groups)
        {
            text.Append($"if ($arch == 0x{g.AuditArch:x8})   # {string.Join(" + ", g.Arches.Select(a => a.ShortName()))}\n");
            if (g.Guard == NrGuard.RejectX32) text.Append("  if ($syscall >= 0x40000000 && $syscall != -1) action BAD_ARCH;   # x32 call, x32 not filtered\n");
            if (g.Guard == NrGuard.RequireX32) text.Append("  if ($syscall < 0x40000000) action BAD_ARCH;   # x86_64 call, x86_64 not filtered\n");
            foreach (var sp in g.ByNumber.Values.OrderBy(p => p.Nr))
            {
                text.Append($"  if ($syscall == {sp.Nr})   # {sp.Name}\n");
                foreach (var rule in sp.Rules)
                {
                    if (rule.Tests.Count == 0) { text.Append($"    action {rule.Action};\n"); continue; }
                    text.Append($"    if ({string.Join(" && ", rule.Tests.Select(Describe))}) action {rule.Action};\n");
                }
            }
            text.Append($"  action {g.DefaultAction};   # default\n");
        }
        text.Append($"action {plan.BadArchAction};   # other architectures\n");
        return text.ToString();
    }

    private static string Describe(ArgTest t)
    {
        var arg = t.Wide ? $"$a{t.Index}" : $"$a{t.Index}.lo32";
        return t.Op switch
        {
            ComparisonOperator.MaskedEqual => $"({arg} & 0x{t.Mask:x}) == 0x{t.Datum:x}",
            ComparisonOperator.Equal => $"{arg} == 0x{t.Datum:x}",
            ComparisonOperator.NotEqual => $"{arg} != 0x{t.Datum:x}",
            ComparisonOperator.LessThan => $"{arg} < 0x{t.Datum:x}",
            ComparisonOperator.LessOrEqual => $"{arg} <= 0x{t.Datum:x}",
            ComparisonOperator.GreaterThan => $"{arg} > 0x{t.Datum:x}",
            _ => $"{arg} >= 0x{t.Datum:x}",
        };
    }
}
