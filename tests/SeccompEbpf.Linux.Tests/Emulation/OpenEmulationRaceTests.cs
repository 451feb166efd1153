using System.Text.RegularExpressions;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.Linux.Tests.RealPolicies;

namespace SeccompEbpf.Linux.Tests.Emulation;

/// <summary>
/// Example 5 allows openat of listed paths only; it reads the path from the caller's memory. The
/// caller's other threads rewrite that memory between an allowed and a forbidden name all the time.
/// Continued calls (the racy opt-in) open the forbidden file; emulated calls never do.
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed partial class OpenEmulationRaceTests
{
    [Fact]
    public void The_forbidden_file_is_never_opened_in_100000_raced_attempts()
    {
        var (counts, _) = Race(100_000, allowRacy: false);
        Assert.Equal(0, counts.Forbidden);
        Assert.True(counts.Allowed > 1000, $"allowed opens should succeed: {counts}");
        Assert.Equal(0, counts.Other);
        Assert.Equal(100_000, counts.Allowed + counts.Refused);
    }

    [Fact]
    public void With_the_racy_opt_in_the_same_program_opens_the_forbidden_file_and_the_log_says_racy()
    {
        // Shows the race probe can fail: continued calls are re-read by the kernel. The race needs a
        // flipper running while the kernel re-reads: on a busy machine that may take a few rounds.
        var rounds = new List<Counts>();
        for (int round = 0; round < 5 && rounds.Sum(c => c.Forbidden) == 0; round++)
        {
            var (counts, log) = Race(20_000, allowRacy: true);
            Assert.Contains(log, line => line.Contains("\"note\":\"racy: memory-dependent ALLOW continued"));
            rounds.Add(counts);
        }
        Assert.True(rounds.Sum(c => c.Forbidden) > 0, $"expected the race to be won at least once: {string.Join(", ", rounds)}");
    }

    private static (Counts Counts, string[] Log) Race(int attempts, bool allowRacy)
    {
        EnforcementEnvironment.Require();
        var program = RealPolicyBuild.StaticProgram("Emulation/Programs/open_race.c");
        var dir = Directory.CreateTempSubdirectory("seccomp-ebpf-race-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "ok-file"), "allowed");
            File.WriteAllText(Path.Combine(dir, "no-file"), "forbidden");
            var sources = RealPolicyBuild.RunOptions(RealPolicyBuild.Example("05_openat_paths"));
            sources = sources with
            {
                Policy = sources.Policy with { MapSeeds = [MapSeed.Parse($"allowed_paths={dir}/ok-file")!] },
                AllowRacyMemoryChecks = allowRacy,
            };
            var (output, log) = EmulationRun.Sandboxed(sources, program, dir, "ok-file", "no-file", attempts.ToString(), "4", "2");
            var match = CountsLine().Match(output);
            Assert.True(match.Success, output);
            int Group(string name) => int.Parse(match.Groups[name].Value);
            return (new Counts(Group("allowed"), Group("forbidden"), Group("refused"), Group("other")), log);
        }
        finally { Directory.Delete(dir, true); }
    }

    private readonly record struct Counts(int Allowed, int Forbidden, int Refused, int Other);

    [GeneratedRegex(@"allowed (?<allowed>\d+) forbidden (?<forbidden>\d+) refused (?<refused>\d+) other (?<other>\d+)")]
    private static partial Regex CountsLine();
}
