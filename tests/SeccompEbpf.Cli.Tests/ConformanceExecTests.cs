using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Cli.Tests;

/// <summary>`seccomp-ebpf exec FILE.data` over the whole shared conformance suite, as a user would run it.</summary>
public sealed class ConformanceExecTests
{
    [Fact]
    public void Every_conformance_test_passes_through_exec()
    {
        var dir = SharedData.TryDirectory(SharedData.ConformanceTests, out var reason);
        Assert.SkipWhen(dir is null, reason);
        var failures = new List<string>();
        foreach (var file in Directory.GetFiles(dir!, "*.data").Order())
        {
            var r = Cli.Run("exec", file);
            if (r.ExitCode != ExitCodes.Ok) failures.Add($"{Path.GetFileName(file)}: {r}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Negative_conformance_tests_fail_cleanly_with_a_documented_code()
    {
        var dir = SharedData.TryDirectory(SharedData.ConformanceNegative, out var reason);
        Assert.SkipWhen(dir is null, reason);
        foreach (var file in Directory.GetFiles(dir!, "*.data").Order())
        {
            var r = Cli.Run("exec", file);
            // 0 only when the file itself expects the error it got ('-- error').
            Assert.True(r.ExitCode is ExitCodes.Ok or ExitCodes.Rejected or ExitCodes.BadInput or ExitCodes.RuntimeError, $"{file}: {r}");
            bool explained = r.ExitCode == ExitCodes.Ok
                ? r.Stdout.Contains("expected: an error (matches)")
                : r.Stderr.Contains(Path.GetFileName(file)) || r.Stdout.Contains("(DIFFERS)");
            Assert.True(explained, $"{file}: {r}");
        }
    }
}
