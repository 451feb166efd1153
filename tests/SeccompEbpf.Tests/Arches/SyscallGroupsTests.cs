using SeccompEbpf.Syscalls;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Tests.Arches;

/// <summary>The system-call groups: real names only, each group documented in Syscalls/GROUPS.md as defined.</summary>
public sealed class SyscallGroupsTests
{
    [Fact]
    public void Every_member_is_a_system_call_of_at_least_one_ABI()
    {
        var known = SyscallArchInfo.All.SelectMany(a => SyscallTable.For(a).Names).ToHashSet(StringComparer.Ordinal);
        var unknown = SyscallGroups.All.SelectMany(g => g.Members.Where(m => !known.Contains(m)).Select(m => $"{g.Name}: {m}")).ToList();
        Assert.True(unknown.Count == 0, "not in any ABI's table: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Names_start_with_at_and_are_unique_and_no_group_lists_a_member_twice()
    {
        Assert.All(SyscallGroups.All, g => Assert.StartsWith("@", g.Name));
        Assert.Equal(SyscallGroups.All.Count, SyscallGroups.All.Select(g => g.Name).Distinct().Count());
        Assert.All(SyscallGroups.All, g => Assert.True(g.Members.Count == g.Members.Distinct().Count(), $"{g.Name} lists a member twice"));
    }

    [Fact]
    public void Every_group_is_documented_with_its_description()
    {
        var doc = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "src", "SeccompEbpf", "Syscalls", "GROUPS.md"));
        foreach (var g in SyscallGroups.All) Assert.Contains($"| `{g.Name}` | {g.Description} |", doc);
        Assert.Equal(SyscallGroups.All.Count, doc.Split('\n').Count(l => l.StartsWith("| `@", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_group_on_an_ABI_is_the_members_it_has_by_number()
    {
        var network = SyscallGroups.Find("@network-io")!.On(SyscallArch.X86_64);
        Assert.Contains(("socket", 41), network);
        Assert.DoesNotContain(network, e => e.Name == "socketcall"); // i386's multiplexer, not x86_64's
        Assert.Equal(network.OrderBy(e => e.Number), network);
        Assert.Contains(SyscallGroups.Find("network-io")!.On(SyscallArch.I386), e => e.Name == "socketcall");
    }
}
