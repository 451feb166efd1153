using SeccompEbpf.Linux.Tests.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Linux.Tests.Policy;

/// <summary>
/// Docker's default profile, compiled by us, installed in the real kernel on a test thread: allowed
/// calls run, denied calls fail with the profile's errno. Every call here is harmless if allowed.
/// </summary>
public class DockerProfileKernelTests
{
    [Fact]
    public void DockerProfileAllowsAndDeniesInTheKernel()
    {
        var reason = KernelThreadHarness.WhyUnavailable();
        Assert.SkipUnless(reason is null, $"kernel seccomp test skipped: {reason}");
        Assert.SkipUnless(KernelThreadHarness.NativeArch == AuditArch.X86_64, "the expected numbers below are x86_64's");
        var dir = SharedData.TryDirectory(SharedData.Profiles, out var skip)
            ?? (Environment.GetEnvironmentVariable("SECCOMP_EBPF_SHARED") is { } env ? Path.Combine(env, "testdata", "profiles") : null);
        Assert.SkipWhen(dir is null || !Directory.Exists(dir), skip);

        var profile = ProfileParser.ParseFile(Path.Combine(dir!, "docker-default.json")).Profile!;
        var filter = ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(profile, new ProfileTarget()).Plan).Value;

        int Nr(string name) => SyscallTable.For(SyscallArch.X86_64).TryGetNumber(name, out var nr) ? nr : throw new InvalidOperationException(name);
        const int Eperm = 1, Enosys = 38;
        var cases = new (string What, SeccompData Call, Func<SyscallOutcome, bool> Expect)[]
        {
            ("getpid is allowed", SeccompData.For(Nr("getpid"), AuditArch.X86_64), o => o.Result > 0),
            ("personality(query) is allowed", SeccompData.For(Nr("personality"), AuditArch.X86_64, 0xffffffff), o => o.Result >= 0),
            ("personality(0x1234) is denied", SeccompData.For(Nr("personality"), AuditArch.X86_64, 0x1234), o => o == new SyscallOutcome(-1, Eperm)),
            ("acct(NULL) needs CAP_SYS_PACCT", SeccompData.For(Nr("acct"), AuditArch.X86_64, 0), o => o == new SyscallOutcome(-1, Eperm)),
            ("mount needs CAP_SYS_ADMIN", SeccompData.For(Nr("mount"), AuditArch.X86_64), o => o == new SyscallOutcome(-1, Eperm)),
            ("socket(AF_VSOCK) is denied", SeccompData.For(Nr("socket"), AuditArch.X86_64, 40, 1, 0), o => o == new SyscallOutcome(-1, Eperm)),
            ("clone3 gets ENOSYS", SeccompData.For(Nr("clone3"), AuditArch.X86_64, 0, 0), o => o == new SyscallOutcome(-1, Enosys)),
            ("an unknown number gets the default EPERM", SeccompData.For(1000, AuditArch.X86_64), o => o == new SyscallOutcome(-1, Eperm)),
        };
        var (installErrno, outcomes) = KernelThreadHarness.Run([filter], cases.Select(c => c.Call).ToList());
        Assert.Equal(0, installErrno);
        for (int i = 0; i < cases.Length; i++)
            Assert.True(cases[i].Expect(outcomes[i]), $"{cases[i].What}: got {outcomes[i]}");
    }
}
