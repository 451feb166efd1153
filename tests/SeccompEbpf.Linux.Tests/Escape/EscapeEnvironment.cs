using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Linux.Tests.Enforcement;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>
/// What the escape suite needs, prepared once per test run: the attack and victim programs (gcc
/// -static), the filter-only policy (clang-19), the CLI where the ordinary user can run it, private
/// home directories, and a way to run the real `seccomp-ebpf run` as root or as an ordinary user
/// (nobody, through setpriv, when the tests run as root; the current user otherwise).
/// Everything lives in one 0755 temporary directory removed when the test process ends.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class EscapeEnvironment
{
    public const string Root = "root", User = "user";
    public const string DefaultPolicy = "default", DockerProfile = "docker-profile", FilterOnly = "filter-only", PathFilter = "path-filter";
    public static readonly string[] Users = [Root, User];
    public static readonly string[] AllPolicies = [DefaultPolicy, DockerProfile, FilterOnly];
    /// <summary>Policies under which the supervisor carries out opens for the command (a filter reads every path and allows it).</summary>
    public static readonly string[] EmulatingPolicies = [PathFilter];

    public const int Nobody = 65534;
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<Setup> Prepared = new(Prepare);
    internal static readonly Lazy<(string? Path, string? Error)> FilterObject = new(() => BuildFilter(Path.Combine(SharedData.RepositoryRoot, "examples", "filters", "02_getpid_counter.c")));
    private static readonly Lazy<(string? Path, string? Error)> PathFilterObject = new(() => BuildFilter(Path.Combine(AppContext.BaseDirectory, "Emulation", "Filters", "read_open_paths.c")));
    private static readonly Lazy<(string? Path, string? Skip)> Profile = new(FindProfile);

    /// <summary>Skips unless the machine can run the suite as <paramref name="user"/>; returns the prepared environment.</summary>
    public static Setup Require(string user)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the escape suite needs Linux");
        var actions = File.Exists("/proc/sys/kernel/seccomp/actions_avail") ? File.ReadAllText("/proc/sys/kernel/seccomp/actions_avail") : "";
        Assert.SkipUnless(actions.Contains("user_notif"), "this kernel does not offer seccomp user notification");
        var setup = Prepared.Value;
        Assert.SkipWhen(setup.SkipReason is not null, setup.SkipReason ?? "");
        Assert.True(setup.BuildError is null, setup.BuildError);
        if (user == Root) Assert.SkipUnless(setup.IsRoot, "the root cases need the tests to run as root");
        else Assert.SkipWhen(setup.UserSkipReason is not null, setup.UserSkipReason ?? "");
        return setup;
    }

    /// <summary>The `run` options of a policy: none, --profile docker-default.json, or --filter 02_getpid_counter.o.</summary>
    public static string[] PolicyArguments(Setup setup, string policy, string user)
    {
        switch (policy)
        {
            case DefaultPolicy:
                return [];
            case DockerProfile:
                var (profile, skip) = Profile.Value;
                Assert.SkipWhen(profile is null, skip ?? "");
                return ["--profile", setup.ReachableCopy(profile!, user)];
            case FilterOnly or PathFilter:
                var (filter, error) = (policy == FilterOnly ? FilterObject : PathFilterObject).Value;
                Assert.SkipWhen(filter is null && error!.StartsWith("missing:"), error ?? "");
                Assert.True(filter is not null, error);
                return ["--filter", filter!];
            default:
                throw new ArgumentException($"unknown policy {policy}");
        }
    }

    public static string RequireTool(string name)
    {
        foreach (var dir in new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin" })
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        Assert.Skip($"{name} is not installed");
        return "";
    }

    private static Setup Prepare()
    {
        var cli = EnforcementEnvironment.CliAssembly;
        if (!File.Exists(cli)) return Setup.Skipped($"the CLI {cli} was not built next to the tests");
        string dotnet;
        try { dotnet = EnforcementEnvironment.Launcher.Executable; }
        catch (InvalidOperationException e) { return Setup.Skipped(e.Message); }

        var work = Directory.CreateTempSubdirectory("seccomp-ebpf-escape-").FullName;
        File.SetUnixFileMode(work, Mode755);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } };
        var bin = Subdirectory(work, "bin");
        var programs = Path.Combine(AppContext.BaseDirectory, "Escape", "Programs");
        var probe = Path.Combine(bin, "escape_probe");
        var victim = Path.Combine(bin, "victim");
        foreach (var (source, output) in new[] { ("escape_probe.c", probe), ("victim.c", victim) })
        {
            var (code, _, err) = Exec(["gcc", "-O2", "-static", "-pthread", "-o", output, Path.Combine(programs, source)]);
            if (code == -1) return Setup.Skipped("gcc is not installed (needed to build the attack programs)");
            if (code != 0) return new Setup { BuildError = $"gcc failed on {source}:\n{err}" };
            File.SetUnixFileMode(output, Mode755);
        }
        bool isRoot = LibC.GetEuid() == 0;
        var setup = new Setup
        {
            WorkDirectory = work,
            Probe = probe,
            Victim = victim,
            Dotnet = dotnet,
            Cli = cli,
            CliForUser = cli,
            IsRoot = isRoot,
        };
        setup.RootHome = isRoot ? setup.NewHome(Root) : "";
        if (isRoot && !File.Exists("/usr/bin/setpriv") && !File.Exists("/bin/setpriv"))
            setup.UserSkipReason = "setpriv (util-linux) is not installed: cannot run as an ordinary user";
        else
        {
            setup.UserHome = setup.NewHome(User);
            setup.CliForUser = setup.CliReachableByUser(out var why) ?? "";
            setup.UserSkipReason = setup.CliForUser.Length == 0 ? why : null;
        }
        return setup;
    }

    private static (string?, string?) BuildFilter(string source)
    {
        var setup = Prepared.Value;
        var examples = Path.Combine(SharedData.RepositoryRoot, "examples", "filters");
        var output = Path.Combine(Subdirectory(setup.WorkDirectory, "filter"), Path.GetFileNameWithoutExtension(source) + ".o");
        var (code, _, err) = Exec(["clang-19", "-O2", "-g", "-target", "bpf", "-mcpu=v3", "-c", "-I", examples, source, "-o", output]);
        if (code == -1) return (null, "missing: clang-19 is not installed (needed for the eBPF filter policies)");
        if (code != 0) return (null, $"clang-19 failed on {source}:\n{err}");
        File.SetUnixFileMode(output, Mode644);
        return (output, null);
    }

    private static (string?, string?) FindProfile()
    {
        var directory = SharedData.TryDirectory(SharedData.Profiles, out var reason);
        var profile = directory is null ? null : Path.Combine(directory, "docker-default.json");
        return profile is not null && File.Exists(profile) ? (profile, null) : (null, reason);
    }

    public const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    public const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode Mode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static string Subdirectory(string parent, string name)
    {
        var path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, Mode755);
        return path;
    }

    /// <summary>Runs a helper program (not a sandbox) to completion; code -1 when it cannot be started.</summary>
    public static (int Code, string Out, string Err) Exec(string[] argv, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in argv[1..]) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var err = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? RunTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (124, output.Result, err.Result + "\n(timed out)");
            }
            process.WaitForExit();
            return (process.ExitCode, output.Result, err.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "", $"cannot start {argv[0]}");
        }
    }

    /// <summary>The prepared environment; see <see cref="EscapeEnvironment"/>.</summary>
    internal sealed class Setup
    {
        public string? SkipReason { get; init; }
        public string? BuildError { get; init; }
        public string? UserSkipReason { get; set; }
        public string WorkDirectory { get; init; } = "";
        public string Probe { get; init; } = "";
        public string Victim { get; init; } = "";
        public string Dotnet { get; init; } = "";
        public string Cli { get; init; } = "";
        public string CliForUser { get; set; } = "";
        public bool IsRoot { get; init; }
        public string RootHome { get; set; } = "";
        public string UserHome { get; set; } = "";
        private readonly ConcurrentDictionary<string, string> _copies = new();
        private int _homes;

        public static Setup Skipped(string reason) => new() { SkipReason = reason };

        public string Home(string user) => user == Root ? RootHome : UserHome;

        /// <summary>A fresh private home directory owned by <paramref name="user"/> (mode 0700).</summary>
        public string NewHome(string user)
        {
            var homes = Subdirectory(WorkDirectory, "homes");
            var home = Path.Combine(homes, $"{user}-{Interlocked.Increment(ref _homes)}");
            Directory.CreateDirectory(home);
            File.SetUnixFileMode(home, Mode700);
            if (user == User && IsRoot)
            {
                var (code, _, err) = Exec(["chown", $"{Nobody}:{Nobody}", home]);
                Assert.True(code == 0, $"chown {home} to nobody: {err}");
            }
            return home;
        }

        /// <summary>What runs a command as <paramref name="user"/>: nothing for root or the current user, setpriv for nobody.</summary>
        public string[] UserPrefix(string user) => user == User && IsRoot
            ? ["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--"]
            : [];

        /// <summary>dotnet CLI run [POLICY...] -- COMMAND...: the real `seccomp-ebpf run`, as a user types it.</summary>
        public string[] RunCommand(string user, string[] options, params string[] command) =>
            [Dotnet, user == Root ? Cli : CliForUser, "run", .. options, "--", .. command];

        /// <summary>The environment every run gets (and nothing else): a fixed PATH, the private HOME, a plain terminal type.</summary>
        public Dictionary<string, string> Environment(string user, string? home = null)
        {
            var environment = new Dictionary<string, string>
            {
                ["PATH"] = $"{Path.GetDirectoryName(Dotnet)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                ["HOME"] = home ?? Home(user),
                ["LANG"] = "C.UTF-8",
                ["SHELL"] = "/bin/sh",
                ["TERM"] = "dumb",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            };
            if (System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) environment["DOTNET_ROOT"] = root;
            return environment;
        }

        /// <summary>Starts <paramref name="argv"/> as <paramref name="user"/> with the standard environment (plus <paramref name="extra"/>), all three streams redirected.</summary>
        public Process Start(string user, string[] argv, Dictionary<string, string> environment, out string description)
        {
            string[] full = [.. UserPrefix(user), .. argv];
            var start = new ProcessStartInfo(full[0])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = WorkDirectory,
            };
            foreach (var arg in full[1..]) start.ArgumentList.Add(arg);
            start.Environment.Clear();
            foreach (var (key, value) in environment) start.Environment[key] = value;
            description = Describe(full);
            return Process.Start(start)!;
        }

        /// <summary>
        /// Runs <paramref name="argv"/> as <paramref name="user"/> to completion, stdin fed from <paramref name="stdin"/> then
        /// closed, or with <paramref name="holdStdin"/> kept open until the process ends (under `script`, end of
        /// input would otherwise be passed on to the terminal while the command runs).
        /// </summary>
        public CliRun Run(string user, string[] argv, string? stdin = null, IReadOnlyDictionary<string, string>? extra = null, string? home = null, bool holdStdin = false)
        {
            var environment = Environment(user, home);
            if (extra is not null)
                foreach (var (key, value) in extra) environment[key] = value;
            var watch = Stopwatch.StartNew();
            using var process = Start(user, argv, environment, out var description);
            var output = process.StandardOutput.ReadToEndAsync();
            var err = process.StandardError.ReadToEndAsync();
            try
            {
                if (stdin is not null) process.StandardInput.Write(stdin);
                if (holdStdin) process.StandardInput.Flush();
                else process.StandardInput.Close();
            }
            catch (IOException) { } // the command did not read its input
            bool finished = process.WaitForExit(RunTimeout);
            if (!finished) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            try { process.StandardInput.Close(); }
            catch (IOException) { }
            return new CliRun(finished ? process.ExitCode : -1, output.Result, err.Result + (finished ? "" : $"\n(killed after {RunTimeout.TotalSeconds} s)"),
                process.Id, description, environment, watch.Elapsed);
        }

        /// <summary>The CLI path the ordinary user can run: the built one, or a copy in the 0755 work directory.</summary>
        public string? CliReachableByUser(out string why)
        {
            why = "";
            if (!IsRoot) return Cli;
            var (code, _, err) = Exec([.. UserPrefix(User), Dotnet, Cli, "--version"]);
            if (code == 0) return Cli;
            var copy = Subdirectory(WorkDirectory, "cli");
            foreach (var file in CliFiles(Path.GetDirectoryName(Cli)!))
            {
                var target = Path.Combine(copy, Path.GetFileName(file));
                File.Copy(file, target, overwrite: true);
                File.SetUnixFileMode(target, Path.GetFileName(file) == "seccomp-ebpf-launcher" ? Mode755 : Mode644);
            }
            var copied = Path.Combine(copy, Path.GetFileName(Cli));
            var (again, _, err2) = Exec([.. UserPrefix(User), Dotnet, copied, "--version"]);
            if (again == 0) return copied;
            why = $"nobody cannot run the CLI (not even a copy in {copy}; is dotnet itself reachable by nobody?): {err.Trim()} / {err2.Trim()}";
            return null;
        }

        /// <summary>The CLI assembly and what it loads from its directory (the runtime libraries of its deps.json).</summary>
        private static IEnumerable<string> CliFiles(string directory)
        {
            var names = new HashSet<string> { "seccomp-ebpf.dll", "seccomp-ebpf.runtimeconfig.json", "seccomp-ebpf.deps.json", "seccomp-ebpf-launcher" };
            using (var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "seccomp-ebpf.deps.json"))))
                foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject())
                    foreach (var library in target.Value.EnumerateObject())
                        if (library.Value.TryGetProperty("runtime", out var runtime))
                            foreach (var file in runtime.EnumerateObject()) names.Add(Path.GetFileName(file.Name));
            return names.Select(n => Path.Combine(directory, n)).Where(File.Exists);
        }

        /// <summary><paramref name="path"/> if the user can read it, else a copy in the work directory.</summary>
        public string ReachableCopy(string path, string user)
        {
            if (user == Root || !IsRoot) return path;
            return _copies.GetOrAdd(path, p =>
            {
                var (code, _, _) = Exec([.. UserPrefix(User), "test", "-r", p]);
                if (code == 0) return p;
                var target = Path.Combine(Subdirectory(WorkDirectory, "data"), Path.GetFileName(p));
                File.Copy(p, target, overwrite: true);
                File.SetUnixFileMode(target, Mode644);
                return target;
            });
        }
    }

    public static string Describe(IEnumerable<string> argv) => string.Join(" ", argv.Select(ShellQuote));

    public static string ShellQuote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:+,".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}

/// <summary>One finished process: the run's exit code, output, and what was run.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr, int Pid, string Command, IReadOnlyDictionary<string, string> Environment, TimeSpan Elapsed)
{
    /// <summary>The line "PROBE NAME: ..." (anywhere in a line: terminal output may put escape codes first), without "\r".</summary>
    public string? ProbeLine(string name) => Line($"PROBE {name}: ");

    public string? Line(string prefix)
    {
        foreach (var raw in Stdout.Split('\n'))
        {
            var at = raw.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0) return raw[at..].TrimEnd('\r');
        }
        return null;
    }

    public string Explain() =>
        $"command: {Command}\nexit code: {ExitCode} ({Elapsed.TotalSeconds:F1} s)\n--- stdout ---\n{Stdout.TrimEnd()}\n--- stderr ---\n{Stderr.TrimEnd()}\n---";
}
