using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

/// <summary>A profile's names that no ABI of the rule has are warned about once, with the nearest name; expected per-ABI absences are not.</summary>
public sealed class ProfileNameCheckTests
{
    private static SeccompProfile Profile(string json)
    {
        var parsed = ProfileParser.Parse(json);
        Assert.True(parsed.Ok, string.Join("; ", parsed.Diagnostics));
        return parsed.Profile!;
    }

    private static readonly SyscallArch[] X86 = [SyscallArch.X86_64, SyscallArch.X32, SyscallArch.I386];

    [Fact]
    public void A_misspelt_name_is_warned_once_at_its_path_with_the_nearest_name()
    {
        var profile = Profile("""
            {"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]}],
             "syscalls":[{"names":["getpid","getpidd"],"action":"SCMP_ACT_ERRNO"},{"names":["getpidd"],"action":"SCMP_ACT_KILL"}]}
            """);
        var warning = Assert.Single(ProfileNameCheck.Check(profile, X86));
        Assert.Equal("$.syscalls[0].names[1]", warning.Path);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("\"getpidd\"", warning.Message);
        Assert.Contains("did you mean getpid?", warning.Message);
    }

    [Fact]
    public void A_name_one_of_the_profiles_ABIs_has_is_no_warning()
    {
        // _llseek and chown32 are i386's, arch_prctl is x86_64's: Docker lists them side by side.
        var profile = Profile("""
            {"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],
             "syscalls":[{"names":["_llseek","chown32","arch_prctl","socketcall"],"action":"SCMP_ACT_ALLOW"}]}
            """);
        Assert.Empty(ProfileNameCheck.Check(profile, [SyscallArch.X86_64]));
    }

    [Fact]
    public void A_rule_for_other_arches_is_checked_against_those_arches()
    {
        // swapcontext is powerpc's: not an x86 name, but the rule includes only ppc64le.
        var forPpc = Profile("""
            {"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]}],
             "syscalls":[{"names":["swapcontext"],"action":"SCMP_ACT_ALLOW","includes":{"arches":["ppc64le"]}},
                         {"names":["swapcontext"],"action":"SCMP_ACT_ALLOW"}]}
            """);
        var warning = Assert.Single(ProfileNameCheck.Check(forPpc, X86));
        Assert.Equal("$.syscalls[1].names[0]", warning.Path);
    }

    [Fact]
    public void A_profile_that_names_no_arch_is_checked_against_the_ABIs_it_is_compiled_for()
    {
        var profile = Profile("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["_llseek"],"action":"SCMP_ACT_ERRNO"}]}""");
        Assert.Single(ProfileNameCheck.Check(profile, [SyscallArch.X86_64]));
        Assert.Empty(ProfileNameCheck.Check(profile, [SyscallArch.X86_64, SyscallArch.I386]));
    }
}
