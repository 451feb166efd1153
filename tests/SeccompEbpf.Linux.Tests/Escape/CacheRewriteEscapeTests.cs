using SeccompEbpf.Linux.Tests.Enforcement;
using static SeccompEbpf.Linux.Tests.Escape.EscapeEnvironment;

namespace SeccompEbpf.Linux.Tests.Escape;

/// <summary>
/// A sandboxed command must not be able to weaken the NEXT sandbox. The attack forges the on-disk
/// cache of the default policy's kernel filter (a one-instruction `ret ALLOW` filter in the format
/// of Seccomp/DefaultPolicyCache.cs, with the build key copied from the real cache file or computed
/// from the assemblies' module ids, and a valid checksum), in ~/.cache or in $XDG_CACHE_HOME. Then a
/// second, separate `seccomp-ebpf run` with the same HOME must still refuse `unshare -U` and, as
/// root, `mount`. Holds whichever way the cache is fixed (removed, authenticated, moved out of reach);
/// the attack's own line (PLANTED or BLOCKED) is only shown, the next sandbox is the verdict.
/// </summary>
[Collection(EnforcementCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CacheRewriteEscapeTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "home-cache", Root }, { "home-cache", User }, { "xdg-cache", Root }, { "xdg-cache", User },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_forged_default_policy_cache_does_not_weaken_the_next_sandbox(string where, string user)
    {
        var setup = Require(user);
        var unshare = RequireTool("unshare");
        var home = setup.NewHome(user);
        var extra = new Dictionary<string, string>();
        if (where == "xdg-cache") extra["XDG_CACHE_HOME"] = Path.Combine(home, "xdg-cache");

        var baseline = setup.Run(user, [unshare, "-U", "true"], extra: extra, home: home);
        Assert.SkipUnless(baseline.ExitCode == 0, $"`unshare -U true` fails outside the sandbox here, so its refusal inside proves nothing:\n{baseline.Explain()}");

        var attack = setup.Run(user, setup.RunCommand(user, [], setup.Probe, "cache-rewrite"), extra: extra, home: home);
        var line = attack.ProbeLine("cache-rewrite");
        Assert.True(line is not null, $"the attack printed no verdict\n{attack.Explain()}");

        var failures = new List<string>();
        var next = setup.Run(user, setup.RunCommand(user, [], unshare, "-U", "true"), extra: extra, home: home);
        if (next.ExitCode == 0)
            failures.Add($"the next sandbox let `unshare -U true` succeed\n{next.Explain()}");
        else if (!next.Stderr.Contains("unshare", StringComparison.Ordinal)
                 || !(next.Stderr.Contains("not permitted", StringComparison.OrdinalIgnoreCase) || next.Stderr.Contains("permission", StringComparison.OrdinalIgnoreCase)))
            failures.Add($"`unshare -U true` failed in the next sandbox, but not with a refusal\n{next.Explain()}");

        if (user == Root)
        {
            var mountPoint = Path.Combine(home, "mnt");
            Directory.CreateDirectory(mountPoint);
            try
            {
                var mount = setup.Run(user, setup.RunCommand(user, [], "mount", "-t", "tmpfs", "none", mountPoint), extra: extra, home: home);
                if (mount.ExitCode == 0 || IsMountPoint(mountPoint))
                    failures.Add($"the next sandbox let `mount -t tmpfs none {mountPoint}` succeed\n{mount.Explain()}");
            }
            finally
            {
                if (IsMountPoint(mountPoint)) Exec(["umount", "-l", mountPoint]);
            }
        }
        Assert.True(failures.Count == 0, $"the attack: {line}\n{attack.Explain()}\n\n{string.Join("\n\n", failures)}");
    }

    private static bool IsMountPoint(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ') is { Length: > 4 } f && f[4] == path);
}
