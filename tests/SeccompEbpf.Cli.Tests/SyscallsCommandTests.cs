using System.Text.Json;

namespace SeccompEbpf.Cli.Tests;

/// <summary>`seccomp-ebpf syscalls`: name to number and back per ABI (every one of the 23), groups, and the nearest name for a typo.</summary>
public sealed class SyscallsCommandTests
{
    [Theory]
    [InlineData("x86_64", "getpid", "39 getpid")]
    [InlineData("x86", "getpid", "20 getpid")]
    [InlineData("aarch64", "openat", "56 openat")]
    [InlineData("x32", "read", "1073741824 read")]
    [InlineData("x86_64", "39", "39 getpid")]
    public void A_name_gives_its_number_and_a_number_its_name(string arch, string query, string expected)
    {
        var r = Cli.Run("syscalls", "--arch", arch, query).Expect(ExitCodes.Ok);
        Assert.Equal(expected, r.Stdout.Trim());
    }

    [Fact]
    public void Every_ABI_has_its_table_and_several_ABIs_prefix_each_line()
    {
        var r = Cli.Run("syscalls", "--arch", "all", "openat", "--json");
        using var doc = JsonDocument.Parse(r.Stdout);
        var arches = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("arch").GetString()).ToList();
        Assert.Equal(23, Cli.Run("syscalls", "--arch", "all").Stdout.Split('\n').Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).Distinct().Count());
        Assert.Contains("s390x", arches);
        Assert.StartsWith("x86 ", Cli.Run("syscalls", "--arch", "x86", "--arch", "aarch64", "openat").Stdout);
    }

    [Fact]
    public void A_typo_exits_1_with_the_nearest_name()
    {
        Cli.Run("syscalls", "--arch", "x86_64", "getpidd").Expect(ExitCodes.Rejected, "did you mean getpid?");
        Assert.Equal(ExitCodes.Rejected, Cli.Run("syscalls", "--arch", "x86_64", "100000").ExitCode);
    }

    [Fact]
    public void A_group_lists_the_members_the_ABI_has_and_an_unknown_group_is_a_usage_error()
    {
        var network = Cli.Run("syscalls", "--arch", "x86_64", "@network-io").Stdout;
        Assert.Contains("41 socket\n", network);
        Assert.DoesNotContain("socketcall", network);
        Assert.Contains("socketcall", Cli.Run("syscalls", "--arch", "x86", "@network-io").Stdout);
        var groups = Cli.Run("syscalls", "--groups").Stdout;
        Assert.Contains("@file-system", groups);
        Cli.Run("syscalls", "@network").Expect(ExitCodes.Usage, "did you mean @network-io?");
    }
}
