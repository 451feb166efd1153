using System.Diagnostics;
using SeccompEbpf.Linux.Launch;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>
/// What the enforcement tests need from the machine: Linux with seccomp user notification, gcc for
/// the probe program, and the CLI assembly as the launcher child. Tests call <see cref="Require"/>,
/// which skips with the reason when something is missing.
/// </summary>
internal static class EnforcementEnvironment
{
    private static readonly Lazy<(string? Probe, string? SkipReason)> Built = new(BuildProbe);

    public static string CliAssembly => Path.Combine(AppContext.BaseDirectory, "seccomp-ebpf.dll");

    public static LauncherInvocation Launcher => LauncherInvocation.ForAssembly(CliAssembly);

    /// <summary>Skips the test unless the kernel, gcc and the launcher are available; returns the probe program's path.</summary>
    public static string Require()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "seccomp enforcement needs Linux");
        var actions = ReadOrEmpty("/proc/sys/kernel/seccomp/actions_avail");
        Assert.SkipUnless(actions.Contains("user_notif"), "this kernel does not offer seccomp user notification (/proc/sys/kernel/seccomp/actions_avail lacks user_notif)");
        Assert.SkipUnless(File.Exists(CliAssembly), $"the launcher {CliAssembly} was not built next to the tests");
        var (probe, reason) = Built.Value;
        Assert.SkipWhen(probe is null, reason ?? "");
        return probe!;
    }

    private static (string?, string?) BuildProbe()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Enforcement", "Programs", "syscall_probe.c");
        var output = Path.Combine(Path.GetTempPath(), $"seccomp-ebpf-tests-{Environment.ProcessId}", "syscall_probe");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        try
        {
            // Static: the dynamic loader's own system calls then cannot blur the counts.
            var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-static", "-pthread", "-o", output, source]) { RedirectStandardError = true });
            if (gcc is null) return (null, "cannot start gcc");
            var errors = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            return gcc.ExitCode == 0 ? (output, null) : (null, $"gcc failed to build the probe program: {errors}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "gcc is not installed (needed to build the probe program for enforcement tests)");
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
