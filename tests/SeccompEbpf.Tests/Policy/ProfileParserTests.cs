using SeccompEbpf.Policy;

namespace SeccompEbpf.Tests.Policy;

public class ProfileParserTests
{
    private static ProfileParseResult Parse(string json) => ProfileParser.Parse(json);

    [Fact]
    public void ReadsEveryOciField()
    {
        var r = Parse("""
            {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],
             "flags":["SECCOMP_FILTER_FLAG_LOG"],"listenerPath":"/run/notify.sock","listenerMetadata":"meta",
             "syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"},
                         {"names":["clone"],"action":"SCMP_ACT_ERRNO","errnoRet":1,
                          "args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]}]}
            """);
        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
        var p = r.Profile!;
        Assert.Equal(ActionKind.Errno, p.DefaultAction.Kind);
        Assert.Equal(38u, p.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], p.Architectures);
        Assert.Equal("/run/notify.sock", p.ListenerPath);
        Assert.Equal(new ArgCondition(0, 2114060288, 0, ComparisonOperator.MaskedEqual), p.Syscalls[1].Args[0]);
    }

    [Theory]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{},{},{},{"names":["x"],"action":"SCMP_ACT_LOG","args":[{"index":0,"value":1,"op":"SCMP_CMP_FOO"}]}]}""",
        "$.syscalls[3].args[0].op: unknown operator \"SCMP_CMP_FOO\"")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","bogus":1}""", "$.bogus: unknown field \"bogus\"")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":"0","op":"SCMP_CMP_EQ"}]}]}""",
        "$.syscalls[0].args[0].index: expected a number, found a string")]
    [InlineData("""{"defaultAction":"SCMP_ACT_NOPE"}""", "$.defaultAction: unknown action \"SCMP_ACT_NOPE\"")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":6,"op":"SCMP_CMP_EQ"}]}]}""",
        "$.syscalls[0].args[0].index: argument index 6 is out of range (0..5)")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":-1,"op":"SCMP_CMP_EQ"}]}]}""",
        "$.syscalls[0].args[0].value: -1 is not an unsigned 64-bit integer")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_NOPE"]}""", "$.flags[0]: unknown flag")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_VAX"]}""", "$.architectures[0]: unknown architecture \"SCMP_ARCH_VAX\"")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","errnoRet":5}]}""",
        "$.syscalls[0].errnoRet: errnoRet is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE")]
    [InlineData("""{"syscalls":[]}""", "$: missing required field \"defaultAction\"")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW",}""", "$: invalid JSON at line 1")]
    [InlineData("", "$: the profile is empty: expected a JSON object")]
    [InlineData("  \n", "$: the profile is empty")]
    public void ReportsProblemsWithTheirJsonPath(string json, string expected)
    {
        var r = Parse(json);
        Assert.False(r.Ok);
        Assert.Contains(r.Diagnostics, d => d.ToString().Contains(expected));
        // The JSON reader's own 0-based position suffix would contradict the 1-based one we print.
        Assert.DoesNotContain(r.Diagnostics, d => d.ToString().Contains("LineNumber:"));
    }

    [Fact]
    public void ReportsEveryProblemInOneRun()
    {
        var r = Parse("""{"defaultAction":"SCMP_ACT_ALLOW","a":1,"syscalls":[{"names":["read"],"action":"X","b":2}]}""");
        Assert.Equal(3, r.Diagnostics.Count);
    }

    [Fact]
    public void AcceptsPodmanErrnoNames()
    {
        var r = Parse("""{"defaultAction":"SCMP_ACT_ERRNO","defaultErrno":"ENOSYS","syscalls":[{"names":["bpf"],"action":"SCMP_ACT_ERRNO","errno":"EPERM"}]}""");
        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
        Assert.Equal(38u, r.Profile!.DefaultErrnoRet);
        Assert.Equal(1u, r.Profile.Syscalls[0].ErrnoRet);
    }

    [Fact]
    public void RoundTripsThroughTheWriter()
    {
        var profile = RandomProfiles.Generate(3);
        var again = Parse(ProfileWriter.ToJson(profile));
        Assert.True(again.Ok, string.Join("\n", again.Diagnostics));
        Assert.Equal(ProfileWriter.ToJson(profile), ProfileWriter.ToJson(again.Profile!));
    }

    [Theory]
    [InlineData("docker-default.json")]
    [InlineData("podman-default.json")]
    public void ParsesTheRealProfilesWithoutDiagnostics(string file)
    {
        var path = SharedProfiles.File(file, out var reason);
        Assert.SkipWhen(path is null, reason);
        var r = ProfileParser.ParseFile(path!);
        Assert.True(r.Ok);
        Assert.Empty(r.Diagnostics);
    }
}
