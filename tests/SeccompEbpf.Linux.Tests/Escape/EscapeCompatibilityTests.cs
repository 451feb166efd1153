using System.Text.RegularExpressions;
using SeccompEbpf.Linux.Tests.Enforcement;
using static SeccompEbpf.Linux.Tests.Escape.EscapeEnvironment;

namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>
/// What the fixes for the escapes must not break: ordinary commands under the default policy, run
/// through the real CLI as root and as an ordinary user, with their output and exit status.
/// </summary>
[Collection(EnforcementCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class EscapeCompatibilityTests
{
    public static TheoryData<string> AllUsers => new(Users);

    private static CliRun Sandboxed(Setup setup, string user, string? stdin, params string[] command) =>
        setup.Run(user, setup.RunCommand(user, [], command), stdin);

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Coreutils_work(string user)
    {
        var setup = Require(user);
        var ls = Sandboxed(setup, user, null, "ls", "-l", "/");
        Assert.True(ls.ExitCode == 0 && ls.Stdout.Split('\n').Any(l => l.EndsWith(" etc", StringComparison.Ordinal)), ls.Explain());
        var sort = Sandboxed(setup, user, "pear\napple\nfig\n", "sort");
        Assert.True(sort.ExitCode == 0 && sort.Stdout == "apple\nfig\npear\n", sort.Explain());
        var cat = Sandboxed(setup, user, "one\ntwo\n", "cat");
        Assert.True(cat.ExitCode == 0 && cat.Stdout == "one\ntwo\n", cat.Explain());
    }

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void A_shell_script_with_a_pipe_and_a_subshell_works(string user)
    {
        var setup = Require(user);
        const string script = """
            printf '3\n1\n2\n' | sort -n | (read first; echo "first=$first"; cat)
            x=$(echo sub | tr a-z A-Z); echo "x=$x"
            ( exit 5 ); echo "subshell=$?"
            """;
        var run = Sandboxed(setup, user, null, "/bin/sh", "-c", script);
        Assert.True(run.ExitCode == 0 && run.Stdout == "first=1\n2\n3\nx=SUB\nsubshell=5\n", run.Explain());
    }

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Python_with_four_threads_works(string user)
    {
        var setup = Require(user);
        Assert.SkipUnless(File.Exists("/usr/bin/python3"), "/usr/bin/python3 is not installed");
        const string code = """
            import os, threading, time
            results = []
            def work(i):
                for _ in range(50):
                    os.stat('/')
                    with open('/dev/null') as f: f.read()
                    os.getppid()
                time.sleep(0.01)
                results.append(i)
            threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
            for t in threads: t.start()
            for t in threads: t.join()
            print('threads', sorted(results))
            """;
        var run = Sandboxed(setup, user, null, "/usr/bin/python3", "-c", code);
        Assert.True(run.ExitCode == 0 && run.Stdout == "threads [0, 1, 2, 3]\n", run.Explain());
    }

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Dotnet_version_works(string user)
    {
        var setup = Require(user);
        var outside = setup.Run(user, [setup.Dotnet, "--version"]);
        Assert.SkipUnless(outside.ExitCode == 0, $"`dotnet --version` fails outside the sandbox (no SDK?):\n{outside.Explain()}");
        var run = Sandboxed(setup, user, null, setup.Dotnet, "--version");
        Assert.True(run.ExitCode == 0 && run.Stdout == outside.Stdout, $"outside: {outside.Stdout.Trim()}\n{run.Explain()}");
    }

    /// <summary>An interactive shell on a terminal (`script` gives it a pseudo-terminal): it reads the commands typed, prints, and its exit status comes back.</summary>
    [Theory]
    [MemberData(nameof(AllUsers))]
    public void An_interactive_shell_on_a_terminal_works(string user)
    {
        var setup = Require(user);
        var script = RequireTool("script");
        var bash = RequireTool("bash");
        var run = setup.Run(user, [script, "-qfec", Describe(setup.RunCommand(user, [], bash, "-i")), "/dev/null"], stdin: "echo hello; exit 3\n");
        var lines = Ansi().Replace(run.Stdout, "").Split('\n').Select(l => l.TrimEnd('\r'));
        Assert.True(lines.Contains("hello"), $"the shell did not print hello\n{run.Explain()}");
        Assert.True(run.ExitCode == 3, $"the shell's exit status 3 did not come back\n{run.Explain()}");
    }

    [Theory]
    [MemberData(nameof(AllUsers))]
    public void Exit_codes_and_death_by_signal_come_back(string user)
    {
        var setup = Require(user);
        var exit = Sandboxed(setup, user, null, "/bin/sh", "-c", "exit 42");
        Assert.True(exit.ExitCode == 42, exit.Explain());
        var killed = Sandboxed(setup, user, null, "/bin/sh", "-c", "kill -TERM $$");
        Assert.True(killed.ExitCode == 143, killed.Explain());
    }

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex Ansi();
}
