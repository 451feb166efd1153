using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

public class PolicyResolverTests
{
    private static SeccompProfile Profile(string json) => ProfileParser.Parse(json).Profile!;

    private const string Docker = """
        {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
         "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]},
                    {"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]}],
         "syscalls":[
           {"names":["read"],"action":"SCMP_ACT_ALLOW"},
           {"names":["ptrace"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4.8"}},
           {"names":["bpf"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},
           {"names":["clone3"],"action":"SCMP_ACT_ERRNO","errnoRet":38,"excludes":{"caps":["CAP_SYS_ADMIN"]}},
           {"names":["arch_prctl"],"action":"SCMP_ACT_ALLOW","includes":{"arches":["amd64","x32"]}},
           {"names":["socketcall","chown32","not_a_syscall"],"action":"SCMP_ACT_ALLOW"}]}
        """;

    [Fact]
    public void ArchMapSelectsTheNativeEntryAndItsSubArchitectures()
    {
        var plan = PolicyResolver.Resolve(Profile(Docker), new ProfileTarget()).Plan;
        Assert.Equal([AuditArch.X86_64, AuditArch.I386], plan.Groups.Select(g => g.AuditArch));
        Assert.Equal([SyscallArch.X86_64, SyscallArch.X32], plan.Groups[0].Arches);
        var arm = PolicyResolver.Resolve(Profile(Docker), new ProfileTarget { NativeArch = SyscallArch.AArch64 }).Plan;
        Assert.Equal([AuditArch.AArch64, AuditArch.Arm], arm.Groups.Select(g => g.AuditArch));
    }

    [Fact]
    public void IncludesAndExcludesFollowDocker()
    {
        uint Verdict(ProfileTarget t, string name, SyscallArch arch = SyscallArch.X86_64)
        {
            var plan = PolicyResolver.Resolve(Profile(Docker), t).Plan;
            SyscallTable.For(arch).TryGetNumber(name, out var nr);
            return plan.Evaluate(SeccompData.For(nr, arch.AuditArch()));
        }
        var plain = new ProfileTarget();
        var admin = new ProfileTarget { Capabilities = [.. ProfileTarget.DockerDefaultCapabilities, "sys_admin"] };
        Assert.Equal(SeccompAction.Errno | 1, Verdict(plain, "bpf"));
        Assert.Equal(SeccompAction.Allow, Verdict(admin, "bpf"));
        Assert.Equal(SeccompAction.Errno | 38, Verdict(plain, "clone3"));
        Assert.Equal(SeccompAction.Errno | 1, Verdict(admin, "clone3"));
        Assert.Equal(SeccompAction.Allow, Verdict(plain, "arch_prctl"));
        Assert.Equal(SeccompAction.Allow, Verdict(new ProfileTarget { Kernel = new KernelVersion(5, 10) }, "ptrace"));
        Assert.Equal(SeccompAction.Errno | 1, Verdict(new ProfileTarget { Kernel = new KernelVersion(4, 4) }, "ptrace"));
    }

    [Fact]
    public void UnknownNamesAreNotedPerArchitectureAndWarnedWhereNoArchitectureHasThem()
    {
        var result = PolicyResolver.Resolve(Profile(Docker), new ProfileTarget());
        Assert.Equal(["chown32", "not_a_syscall", "socketcall"], result.UnknownNames[SyscallArch.X86_64]);
        Assert.Equal(["not_a_syscall"], result.UnknownNames[SyscallArch.I386]);
        // Per-ABI absences are expected (chown32 is i386's): a note, shown with --verbose.
        Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Note && d.Message.StartsWith("x32:"));
        // A name no ABI of the profile has is a warning, once, at its JSON path.
        var warning = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning);
        Assert.Contains("\"not_a_syscall\"", warning.Message);
        Assert.Matches(@"^\$\.syscalls\[\d+\]\.names\[2\]$", warning.Path);
    }

    [Fact]
    public void I386SocketCallsAlsoMatchThroughSocketcall()
    {
        var profile = Profile("""
            {"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86"],
             "syscalls":[{"names":["socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2,"op":"SCMP_CMP_EQ"},{"index":1,"value":1,"op":"SCMP_CMP_EQ"}]}]}
            """);
        var plan = PolicyResolver.Resolve(profile, new ProfileTarget()).Plan;
        const int socketcall = 102, socket = 359;
        Assert.Equal(SeccompAction.Allow, plan.Evaluate(SeccompData.For(socket, AuditArch.I386, 2, 1)));
        Assert.NotEqual(SeccompAction.Allow, plan.Evaluate(SeccompData.For(socket, AuditArch.I386, 3, 1)));
        // socketcall(SYS_SOCKET, args): arg0 is the call number, the other conditions stay as written (libseccomp).
        Assert.Equal(SeccompAction.Allow, plan.Evaluate(SeccompData.For(socketcall, AuditArch.I386, 1, 1)));
        Assert.NotEqual(SeccompAction.Allow, plan.Evaluate(SeccompData.For(socketcall, AuditArch.I386, 2, 1)));
    }

    [Fact]
    public void S390xIpcCallsAlsoMatchThroughIpcAndMips64DoesNotMultiplex()
    {
        var profile = Profile("""
            {"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_S390X","SCMP_ARCH_MIPS64"],
             "syscalls":[{"names":["shmget"],"action":"SCMP_ACT_ALLOW","args":[{"index":2,"value":7,"op":"SCMP_CMP_EQ"}]}]}
            """);
        var plan = PolicyResolver.Resolve(profile, new ProfileTarget()).Plan;
        const int ipc = 117, shmget = 395, mips64Shmget = 5028;
        Assert.Equal(SeccompAction.Allow, plan.Evaluate(SeccompData.For(shmget, AuditArch.S390X, 0, 0, 7)));
        // ipc(SHMGET = 23, ...): arg0 is the call number, arg2 keeps its condition.
        Assert.Equal(SeccompAction.Allow, plan.Evaluate(SeccompData.For(ipc, AuditArch.S390X, 23, 0, 7)));
        Assert.NotEqual(SeccompAction.Allow, plan.Evaluate(SeccompData.For(ipc, AuditArch.S390X, 23, 0, 8)));
        Assert.Equal(SeccompAction.Allow, plan.Evaluate(SeccompData.For(mips64Shmget, AuditArch.Mips64, 0, 0, 7)));
        Assert.Equal([(uint)mips64Shmget], plan.Groups.Single(g => g.AuditArch == AuditArch.Mips64).ByNumber.Keys);
    }

    [Fact]
    public void X86_64AloneTreatsX32NumbersAsAForeignArch()
    {
        var profile = Profile("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"]}""");
        var plan = PolicyResolver.Resolve(profile, new ProfileTarget { BadArchAction = new SeccompAction(SeccompAction.KillProcess) }).Plan;
        Assert.Equal(SeccompAction.KillProcess, plan.Evaluate(SeccompData.For(0x40000000, AuditArch.X86_64)));
        Assert.Equal(SeccompAction.Allow, plan.Evaluate(SeccompData.For(-1, AuditArch.X86_64)));
        Assert.Equal(SeccompAction.KillProcess, plan.Evaluate(SeccompData.For(0, AuditArch.AArch64)));
    }

    [Fact]
    public void RepeatedArgumentIndicesBecomeSeparateRules()
    {
        var profile = Profile("""
            {"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],
             "syscalls":[{"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":0,"op":"SCMP_CMP_EQ"},{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]}
            """);
        var plan = PolicyResolver.Resolve(profile, new ProfileTarget()).Plan;
        Assert.Equal(2, plan.Groups[0].ByNumber[135].Rules.Count);
        Assert.Equal(SeccompAction.Allow, plan.Evaluate(SeccompData.For(135, AuditArch.X86_64, 8)));
    }
}
