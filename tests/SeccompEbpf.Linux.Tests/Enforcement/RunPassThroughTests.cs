
namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>Commands run normally under a filter, and their exit status comes back unchanged.</summary>
[Collection(EnforcementCollection.Name)]
public sealed class RunPassThroughTests
{
    private static readonly CountingDecider AllowAll = new(-1, 1);

    [Fact]
    public void True_exits_zero_under_an_allow_filter()
    {
        EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(AllowAll, [], "/bin/true");
        Assert.Null(run.Result.Error);
        Assert.Equal(0, run.Result.ExitCode);
    }

    [Fact]
    public void Exit_code_is_passed_through()
    {
        EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(AllowAll, [NativeSyscalls.Getpid], "/bin/sh", "-c", "exit 7");
        Assert.Equal(7, run.Result.ExitCode);
        Assert.False(run.Result.Status!.Value.Signaled);
    }

    [Fact]
    public void Death_by_signal_becomes_128_plus_the_signal()
    {
        EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(AllowAll, [NativeSyscalls.Getpid], "/bin/sh", "-c", "kill -TERM $$");
        Assert.Equal(15, run.Result.Status!.Value.Signal);
        Assert.Equal(143, run.Result.ExitCode);
    }

    [Fact]
    public void Missing_command_is_reported_without_starting_anything()
    {
        EnforcementEnvironment.Require();
        var run = SandboxTestRun.Start(AllowAll, [], "no-such-command-seccomp-ebpf");
        Assert.False(run.Result.Started);
        Assert.Equal(127, run.Result.ExitCode);
        Assert.Contains("command not found", run.Result.Error);
    }

    [Fact]
    public void Exec_failure_is_reported_with_126()
    {
        EnforcementEnvironment.Require();
        var notExecutable = Path.GetTempFileName(); // mode 0600: execve fails with EACCES
        try
        {
            var run = SandboxTestRun.Start(AllowAll, [NativeSyscalls.Getpid], notExecutable);
            Assert.Equal(126, run.Result.ExitCode);
            Assert.Contains("cannot execute", run.Result.Error);
        }
        finally { File.Delete(notExecutable); }
    }

    [Fact]
    public void Shell_script_with_coreutils_works_and_a_denied_call_fails_as_expected()
    {
        EnforcementEnvironment.Require();
        var dir = Directory.CreateTempSubdirectory("seccomp-ebpf-script").FullName;
        try
        {
            var script = Path.Combine(dir, "script.sh");
            File.WriteAllText(script, """
                set -u
                d="$1"
                printf 'alpha\nbeta\ngamma\n' > "$d/words"
                sort -r "$d/words" | head -n 1
                wc -l < "$d/words"
                cp "$d/words" "$d/copy" && ls "$d" | tr '\n' ' '; echo
                if uname > /dev/null 2>&1; then echo "uname ok"; else echo "uname denied"; fi
                """);
            // uname goes to the supervisor, which refuses it; everything else stays in the kernel.
            var decider = new FunctionDecider((n, _) => global::SeccompEbpf.Model.SeccompAction.ErrnoAction(1));
            var run = SandboxTestRun.Start(decider, [NativeSyscalls.Uname], "/bin/sh", script, dir);
            Assert.Equal(0, run.Result.ExitCode);
            Assert.Equal("gamma\n3\ncopy script.sh words \nuname denied\n", run.Output);
            Assert.True(decider.Calls >= 1);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
