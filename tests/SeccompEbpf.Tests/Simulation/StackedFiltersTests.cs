using SeccompEbpf.Model.Trace;
using SeccompEbpf.Simulation;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Tests.Simulation.SimulatedExamples;

namespace SeccompEbpf.Tests.Simulation;

public class StackedFiltersTests
{
    private static string WriteProfile(string json)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("seccomp-ebpf-sim-").FullName, "profile.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string DenyCloseProfile = """
        {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
         "syscalls": [{"names": ["close"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
        """;

    [Fact]
    public void ProfileAndEbpfFilterStackWithKernelPrecedence()
    {
        var thread = Prepare(Profile(WriteProfile(DenyCloseProfile)), Load("01_close_999", "v3").Filter);
        // Both say ERRNO for close(999): a tie keeps the newer (eBPF) filter's data.
        Assert.Equal(Errno(EPERM), Call(thread, "close", 999).ToString());
        Assert.Equal(Errno(EACCES), Call(thread, "close", 3).ToString());
        Assert.Equal(Allow, Call(thread, "getpid").ToString());
    }

    [Fact]
    public void AnEbpfFilterCannotBeAttachedTwice()
    {
        var load = Load("01_close_999", "v3");
        var root = Simulator.Prepare([load.Filter, load.Filter]);
        Assert.False(root.IsOk);
        Assert.Contains("closed", root.Error!.Message);
    }

    [Fact]
    public void NamesResolvePerArchitecture()
    {
        Assert.Equal(257, Simulator.ResolveSyscall("openat", SyscallArch.X86_64).Value);
        Assert.Equal(56, Simulator.ResolveSyscall("openat", SyscallArch.AArch64).Value);
        Assert.Equal(0x40000000 | 257, Simulator.ResolveSyscall("openat", SyscallArch.X32).Value);
        Assert.Equal(0x40000000 | 3, Simulator.ResolveSyscall("3", SyscallArch.X32).Value);
        Assert.False(Simulator.ResolveSyscall("no_such_call", SyscallArch.X86_64).IsOk);
    }

    [Theory]
    [InlineData("\"/etc/passwd\"", "/etc/passwd\0")]
    [InlineData("\"a\\nb\\t\\\"c\\\\\"", "a\nb\t\"c\\\0")]
    [InlineData("\"\\x41\\102\\0z\"", "AB\0z\0")]
    [InlineData("\"/usr/lib/x86_64-linux-gnu\"...", "/usr/lib/x86_64-linux-gnu\0")]
    public void TraceStringsDecodeStraceEscapes(string printed, string expected)
    {
        Assert.True(TraceStrings.TryDecode(printed, out var bytes));
        Assert.Equal(expected, System.Text.Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public void NonStringsAreNotDecoded() => Assert.False(TraceStrings.TryDecode("O_RDONLY", out _));
}
