using SeccompEbpf.Linux.Seccomp;

namespace SeccompEbpf.Linux.Tests.RealPolicies;

/// <summary>The on-disk copy of the default policy's kernel filter: trusted only when intact, current and private.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // Unix file modes
public sealed class DefaultPolicyCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("seccomp-ebpf-cache-").FullName;
    private string CacheFile => Path.Combine(_directory, "seccomp-ebpf", "default.cbpf");

    /// <summary>Stores the default plan, then flips the bits <paramref name="mask"/> of the file's byte at <paramref name="offset"/>.</summary>
    private void StoreThenFlip(int offset, byte mask)
    {
        DefaultPolicyCache.TryStore(DefaultPlan(), CacheFile);
        var bytes = File.ReadAllBytes(CacheFile);
        bytes[offset] ^= mask;
        File.WriteAllBytes(CacheFile, bytes);
    }

    private static Launch.RunPlan DefaultPlan()
    {
        var built = PolicyRunPlan.Build(new PolicySources([], null, []));
        Assert.True(built.IsOk, built.Error?.ToString());
        return built.Value.Plan;
    }

    [Fact]
    public void A_stored_plan_loads_back_with_the_same_filter_and_needs_no_supervisor()
    {
        var plan = DefaultPlan();
        DefaultPolicyCache.TryStore(plan, CacheFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CacheFile));
        var loaded = DefaultPolicyCache.TryLoad(CacheFile);
        Assert.NotNull(loaded);
        Assert.Equal(plan.KernelFilter, loaded.KernelFilter);
        Assert.Equal(plan.Description, loaded.Description);
        Assert.False(loaded.NeedsListener);
    }

    [Fact]
    public void A_damaged_file_is_a_miss()
    {
        StoreThenFlip(offset: 40, mask: 0x01); // inside the filter
        Assert.Null(DefaultPolicyCache.TryLoad(CacheFile));
    }

    [Fact]
    public void A_file_others_may_write_is_not_trusted()
    {
        DefaultPolicyCache.TryStore(DefaultPlan(), CacheFile);
        File.SetUnixFileMode(CacheFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);
        Assert.Null(DefaultPolicyCache.TryLoad(CacheFile));
        File.SetUnixFileMode(CacheFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
        Assert.Null(DefaultPolicyCache.TryLoad(CacheFile));
    }

    [Fact]
    public void A_file_from_another_build_or_of_another_kind_is_a_miss()
    {
        StoreThenFlip(offset: 8, mask: 0xff); // the build key
        Assert.Null(DefaultPolicyCache.TryLoad(CacheFile));
        File.WriteAllText(CacheFile, "not a cache file at all");
        Assert.Null(DefaultPolicyCache.TryLoad(CacheFile));
        Assert.Null(DefaultPolicyCache.TryLoad(Path.Combine(_directory, "absent")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
