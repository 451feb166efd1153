using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// Finds the shared real-world profiles: ../shared next to the repository (SharedData), or the
/// directory named by SECCOMP_EBPF_SHARED (for worktrees that live elsewhere).
/// </summary>
internal static class SharedProfiles
{
    public static string? Directory(out string skipReason)
    {
        var dir = SharedData.TryDirectory(SharedData.Profiles, out skipReason);
        if (dir is not null) return dir;
        var env = Environment.GetEnvironmentVariable("SECCOMP_EBPF_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            var candidate = Path.Combine(env, "testdata", "profiles");
            if (System.IO.Directory.Exists(candidate)) return candidate;
            skipReason += $"; SECCOMP_EBPF_SHARED={env} has no testdata/profiles";
        }
        return null;
    }

    public static string? File(string name, out string skipReason) =>
        Directory(out skipReason) is { } dir ? Path.Combine(dir, name) : null;
}
