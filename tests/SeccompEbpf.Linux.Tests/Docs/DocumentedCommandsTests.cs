using System.Diagnostics;
using System.Runtime.InteropServices;
using SeccompEbpf.Bpf;
using SeccompEbpf.Linux.Tests.Enforcement;

namespace SeccompEbpf.Linux.Tests.Docs;

/// <summary>
/// Every command line of the README, of examples/**/README.md and of every --help "Examples:" block
/// runs, in order, in a scratch copy of what it expects around it (<see cref="DocScratch"/>), and does
/// what its documentation says (<see cref="DocumentedCommand"/>). The lines in
/// <see cref="NotRunCommands"/> are reported as skipped, with their reason.
/// </summary>
[Collection(EnforcementCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DocumentedCommandsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static TheoryData<string> Sources => new(DocumentedCommands.Sources());

    public static TheoryData<string> NotRun => new(NotRunCommands.Reasons.Keys);

    [Theory]
    [MemberData(nameof(Sources))]
    public void Command_lines_do_what_their_documentation_says(string source)
    {
        var commands = DocumentedCommands.Of(source);
        Assert.True(commands.Count > 0, $"{source} shows no command line (every document and every --help has examples)");
        // `run` needs seccomp user notification; the others need nothing but the scratch tree.
        if (commands.Any(c => c.Command.Contains("seccomp-ebpf run", StringComparison.Ordinal))) EnforcementEnvironment.Require();
        using var scratch = DocScratch.Create();
        var failures = new List<string>();
        var cannotRun = new List<string>();
        var log = TestContext.Current.TestOutputHelper;
        foreach (var command in commands)
        {
            if (NotRunCommands.Why(command) is { } why) { log?.WriteLine($"not run: {command} ({why})"); continue; }
            var directory = scratch.WorkingDirectoryFor(command.Source);
            if (command.Programs.FirstOrDefault(p => !Installed(p, directory, scratch.Bin)) is { } missing)
            {
                cannotRun.Add($"{command.Where}: {missing} is not installed (scripts/install-prerequisites.sh installs it)");
                continue;
            }
            var failure = Check(command, directory, scratch.Bin);
            log?.WriteLine($"{(failure is null ? "ok" : "FAILED")}: {command}");
            if (failure is not null) failures.Add(failure);
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.SkipWhen(cannotRun.Count > 0, string.Join("; ", cannotRun));
    }

    [Theory]
    [MemberData(nameof(NotRun))]
    public void Command_lines_not_run_are_still_documented_and_say_why(string line)
    {
        var where = DocumentedCommands.Sources().SelectMany(DocumentedCommands.Of).Where(c => c.Command == line).ToList();
        Assert.True(where.Count > 0, $"'{line}' is no longer documented: remove it from {nameof(NotRunCommands)}");
        Assert.Skip($"not run ({string.Join(", ", where.Select(c => c.Where))}): {NotRunCommands.Reasons[line]}");
    }

    /// <summary>Null when the command did what its documentation says; otherwise what it did.</summary>
    private static string? Check(DocumentedCommand command, string directory, string bin)
    {
        var (code, stdout, stderr) = Shell(command.Command, directory, bin);
        var output = stdout + stderr;
        var problems = new List<string>();
        if (command.ShouldFail ? code == 0 : code != 0) problems.Add($"exit {code}, documented to {(command.ShouldFail ? "fail" : "succeed")}");
        foreach (var name in command.ClaimedErrnos)
        {
            Assert.True(LinuxErrno.TryParse(name, out int errno), $"{command.Where}: '{name}' is not an errno name");
            var message = Marshal.GetPInvokeErrorMessage(errno);
            if (!output.Contains(message, StringComparison.Ordinal)) problems.Add($"no \"{message}\" ({name}) in the output");
        }
        foreach (var claim in command.ClaimedOutput)
            if (!output.Contains(claim, StringComparison.Ordinal)) problems.Add($"no \"{claim}\" in the output");
        if (command.ExpectedStdout.Count > 0)
        {
            var printed = stdout.Replace("\r", "").TrimEnd('\n').Split('\n').Select(l => l.Trim());
            if (!printed.SequenceEqual(command.ExpectedStdout)) problems.Add($"standard output differs from the documented\n{string.Join("\n", command.ExpectedStdout)}");
        }
        return problems.Count == 0 ? null
            : $"{command}\n  {string.Join("\n  ", problems)}\n  --- stdout ---\n{Tail(stdout)}\n  --- stderr ---\n{Tail(stderr)}";
    }

    private static (int Code, string Stdout, string Stderr) Shell(string command, string directory, string bin)
    {
        var start = new ProcessStartInfo("/bin/bash", ["-c", command])
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result, $"did not finish in {Limit.TotalSeconds:F0} s\n{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool Installed(string program, string directory, string bin) =>
        program.Contains('/') ? File.Exists(Path.Combine(directory, program))
            : program is "printf" or "exec" or "cd" || $"{bin}:{Environment.GetEnvironmentVariable("PATH")}".Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));

    private static string Tail(string text) => text.Length <= 3000 ? text : "..." + text[^3000..];
}
