namespace SeccompEbpf.TestSupport;

/// <summary>
/// Locates the read-only shared data (../shared next to the repository). Tests that need it call
/// <see cref="RequireDirectory"/> and skip with a clear message where it is absent (a user's clone).
/// </summary>
public static class SharedData
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>../shared next to the repository; from a git worktree (e.g. wt/NAME) the nearest ancestor's "shared".</summary>
    public static string SharedRoot { get; } = FindSharedRoot();

    public static string ConformanceTests => Path.Combine(SharedRoot, "testdata", "bpf-conformance", "tests");
    public static string ConformanceNegative => Path.Combine(SharedRoot, "testdata", "bpf-conformance", "negative");
    public static string Profiles => Path.Combine(SharedRoot, "testdata", "profiles");
    public static string LibSeccompVectors => Path.Combine(SharedRoot, "testdata", "libseccomp-vectors");

    /// <summary>Returns the path, or null with a reason when the shared data is not there.</summary>
    public static string? TryDirectory(string path, out string skipReason)
    {
        skipReason = $"shared test data not found at {path} (it lives in ../shared next to the repository; absent in a plain clone)";
        return Directory.Exists(path) ? path : null;
    }

    private static string FindSharedRoot()
    {
        for (var dir = Directory.GetParent(RepositoryRoot); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "testdata")))
                return Path.Combine(dir.FullName, "shared");
        return Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeccompEbpf.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (SeccompEbpf.slnx) above " + AppContext.BaseDirectory);
    }
}
