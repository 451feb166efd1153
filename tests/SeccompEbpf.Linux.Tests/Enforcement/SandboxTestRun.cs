using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>Runs a command in the sandbox with its standard output captured in a temporary file.</summary>
internal sealed record SandboxTestRun(SandboxResult Result, string Output)
{

    public static SandboxTestRun Start(ISyscallDecider decider, int[] notified, string command, params string[] args) =>
        StartWith(new RunPlan(NotifyListFilter.Build(NativeArch.AuditArchValue, notified), decider, "test"), null, command, args);

    public static SandboxTestRun StartWith(RunPlan plan, string? logPath, string command, params string[] args)
    {
        var output = Path.GetTempFileName();
        try
        {
            var request = new SandboxRequest(plan, command, args)
            {
                StandardOutputPath = output,
                Launcher = EnforcementEnvironment.Launcher,
                LogPath = logPath,
                ForwardSignals = false,
            };
            var result = Sandbox.Run(request);
            return new SandboxTestRun(result, File.ReadAllText(output));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
