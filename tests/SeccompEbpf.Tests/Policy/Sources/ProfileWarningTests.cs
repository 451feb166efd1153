using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy.Sources;

/// <summary>The front end passes a profile's warnings to whoever asked (run, plan, simulate print them) and makes them errors with Strict.</summary>
public sealed class ProfileWarningTests
{
    private const string Typo = """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getpidd"],"action":"SCMP_ACT_ERRNO"}]}""";

    private static readonly SyscallArch[] X86 = [SyscallArch.X86_64, SyscallArch.X32, SyscallArch.I386];

    [Fact]
    public void A_warning_goes_to_Warn_naming_the_profile_and_the_policy_loads()
    {
        var warnings = new List<string>();
        var loaded = PolicyLoader.Load(new PolicyOptions { Sources = [ProfileSource.FromJson("typo.json", Typo)], Arches = X86, Warn = warnings.Add });
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        var warning = Assert.Single(warnings);
        Assert.StartsWith("typo.json: warning: $.syscalls[0].names[0]: \"getpidd\"", warning);
    }

    [Fact]
    public void With_Strict_a_warning_is_the_error_of_the_load()
    {
        var warnings = new List<string>();
        var loaded = PolicyLoader.Load(new PolicyOptions { Sources = [ProfileSource.FromJson("typo.json", Typo)], Arches = X86, Strict = true, Warn = warnings.Add });
        Assert.False(loaded.IsOk);
        Assert.Contains("getpidd", loaded.Error!.ToString());
        Assert.Contains("--strict", loaded.Error.ToString());
        Assert.Empty(warnings);
    }

    [Fact]
    public void Expected_per_ABI_absences_are_not_warnings()
    {
        var warnings = new List<string>();
        var docker = """{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],"syscalls":[{"names":["_llseek","arch_prctl"],"action":"SCMP_ACT_ALLOW"}]}""";
        Assert.True(PolicyLoader.Load(new PolicyOptions { Sources = [ProfileSource.FromJson("d.json", docker)], Arches = X86, Strict = true, Warn = warnings.Add }).IsOk);
        Assert.Empty(warnings);
    }
}
