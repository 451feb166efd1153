using SeccompEbpf.Cli;
using SeccompEbpf.Linux.Tests.RealPolicies;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Linux.Tests.FrontEnd;

/// <summary>
/// The policies the front-end tests give run, plan and simulate: each example filter (clang-19), both
/// shared profiles, and a profile under an eBPF filter, as command-line policy options.
/// </summary>
internal static class FrontEndPolicies
{
    public static TheoryData<string> Names => new(
        "01_close_999", "02_getpid_counter", "03_policy_map", "04_exec_once", "05_openat_paths",
        "docker-default.json", "podman-default.json", "docker-default.json+02_getpid_counter");

    /// <summary>The path example 5 is given (and the path a test call names): `--map-key allowed_paths=...`.</summary>
    public const string AllowedPath = "/etc/hostname";

    /// <summary>The command-line options that name <paramref name="name"/> (a '+' stacks, oldest first).</summary>
    public static string[] Arguments(string name) => [.. name.Split('+').SelectMany(Part)];

    /// <summary>The options as run, plan and simulate read them.</summary>
    public static PolicyOptions Options(string name)
    {
        var cli = new CliArgs(Arguments(name), new CommandSyntax(PolicyArguments.Options));
        return PolicyArguments.Read(cli, new CliReport("test", TextWriter.Null, cli));
    }

    /// <summary>How many eBPF filters the policy has.</summary>
    public static int EbpfFilters(string name) => name.Split('+').Count(p => !p.EndsWith(".json", StringComparison.Ordinal));

    private static string[] Part(string part)
    {
        if (part.EndsWith(".json", StringComparison.Ordinal))
        {
            var profiles = SharedData.TryDirectory(SharedData.Profiles, out var why);
            Assert.SkipWhen(profiles is null, why);
            return ["--profile", Path.Combine(profiles!, part)];
        }
        var filter = RealPolicyBuild.Example(part);
        return part == "05_openat_paths" ? ["--filter", filter, "--map-key", $"allowed_paths={AllowedPath}"] : ["--filter", filter];
    }
}
