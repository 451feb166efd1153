namespace SeccompEbpf.Bpf.Tests;

/// <summary>"did you mean": typos within a third of the name, swaps count once, an unambiguous abbreviation, nothing far away.</summary>
public sealed class NearestNameTests
{
    private static readonly string[] Names = ["getpid", "getppid", "gettid", "--json", "--format", "@network-io", "@file-system"];

    [Theory]
    [InlineData("getpidd", "getpid")]
    [InlineData("gteppid", "getppid")]
    [InlineData("--jsno", "--json")]
    [InlineData("--fromat", "--format")]
    [InlineData("@network", "@network-io")]
    [InlineData("GETPID", "getpid")]
    [InlineData("getpid", null)]
    [InlineData("reboot", null)]
    [InlineData("--", null)]
    [InlineData("@n", null)]
    public void Finds_the_nearest_or_nothing(string typed, string? expected) =>
        Assert.Equal(expected, NearestName.Find(typed, Names));

    [Fact]
    public void An_ambiguous_abbreviation_suggests_nothing() =>
        Assert.Null(NearestName.Find("get", ["getpid", "getppid", "gettimeofday"]));

    [Fact]
    public void The_hint_reads_as_a_parenthesis() =>
        Assert.Equal(" (did you mean getpid?)", NearestName.Hint("getpidd", Names));
}
