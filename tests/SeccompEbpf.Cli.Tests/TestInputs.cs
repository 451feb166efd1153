using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Cli.Tests;

/// <summary>Inputs the CLI tests give: Docker's profile (shared data), small profiles, and an ELF object made without clang.</summary>
internal static class TestInputs
{
    public static string DockerProfile()
    {
        var dir = SharedData.TryDirectory(SharedData.Profiles, out var reason);
        Assert.SkipWhen(dir is null, reason);
        return Path.Combine(dir!, "docker-default.json");
    }

    /// <summary>A profile refusing getppid with EPERM, allowing the rest.</summary>
    public const string DenyGetppid = """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}""";

    /// <summary>A profile whose only rule names "getpidd" (a typo of getpid).</summary>
    public const string Misspelt = """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getpidd"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}""";

    /// <summary>An eBPF ELF object (compile --format ebpf-object of an allow-all profile): a real object, no clang needed.</summary>
    public static string ElfObject(TempDir dir)
    {
        var path = dir.File("allow.o");
        var r = Cli.Run("compile", dir.Write("allow.json", """{"defaultAction":"SCMP_ACT_ALLOW"}"""), "--format", "ebpf-object", "-o", path);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        return path;
    }
}
