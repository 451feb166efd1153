namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>The verdicts of the attack program, as assertions that show the whole probe line and the run.</summary>
internal static class EscapeAssert
{
    /// <summary>The probe's line says BLOCKED; ESCAPED, INCONCLUSIVE or no line fails with the line, the output and the run's stderr.</summary>
    public static string Blocked(CliRun run, string probe, string? context = null)
    {
        var line = run.ProbeLine(probe);
        var more = context is null ? "" : context.TrimEnd() + "\n";
        Assert.True(line is not null, $"the probe {probe} printed no verdict\n{more}{run.Explain()}");
        if (line!.StartsWith($"PROBE {probe}: INCONCLUSIVE", StringComparison.Ordinal))
            Assert.Fail($"no terminal was obtained, so {probe} proves nothing (the harness should have given it one):\n{line}\n{more}{run.Explain()}");
        Assert.True(line.StartsWith($"PROBE {probe}: BLOCKED ", StringComparison.Ordinal), $"{line}\n{more}{run.Explain()}");
        return line;
    }

    /// <summary>The attack aimed at the real `seccomp-ebpf run` process (its parent), and at the pid we started when that is known.</summary>
    public static void TargetIsTheSupervisor(CliRun run, bool pidKnown)
    {
        var target = run.Line("TARGET pid=");
        Assert.True(target is not null, $"the attack program did not name its target\n{run.Explain()}");
        if (target!.StartsWith("TARGET pid=0 ", StringComparison.Ordinal)) return; // outside the command's pid namespace: nothing to attack by pid
        // Where the supervisor carries out the command's opens, its own /proc entries are refused to the
        // command, cmdline too: then the pid alone, which the test knows, says who the target is.
        if (pidKnown && target.Contains("cmdline=(unreadable: EACCES)", StringComparison.Ordinal))
        {
            Assert.True(target.StartsWith($"TARGET pid={run.Pid} ", StringComparison.Ordinal), $"the attack's parent is not the process the test started (pid {run.Pid}): {target}\n{run.Explain()}");
            return;
        }
        Assert.True(target.Contains("seccomp-ebpf", StringComparison.Ordinal) && target.Contains(" run ", StringComparison.Ordinal),
            $"the attack's parent is not `seccomp-ebpf run`: {target}\n{run.Explain()}");
        if (pidKnown)
            Assert.True(target.StartsWith($"TARGET pid={run.Pid} ", StringComparison.Ordinal), $"the attack's parent is not the process the test started (pid {run.Pid}): {target}\n{run.Explain()}");
    }

    public static TheoryData<string, string, string> Cross(IEnumerable<string> probes, IEnumerable<string> policies, IEnumerable<string> users)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var probe in probes)
            foreach (var policy in policies)
                foreach (var user in users)
                    data.Add(probe, policy, user);
        return data;
    }
}
