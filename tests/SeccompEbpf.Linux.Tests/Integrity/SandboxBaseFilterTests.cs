using SeccompEbpf.Classic;
using SeccompEbpf.Linux.Launch;
using SeccompEbpf.Model;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Tests.Integrity;

/// <summary>The sandbox's own base filter, run on the classic interpreter (the kernel runs it in the escape tests).</summary>
public sealed class SandboxBaseFilterTests
{
    private const int SupervisorPid = 4242, SupervisorGroup = 4200;
    private static readonly SyscallArch[] X86 = [SyscallArch.X86_64, SyscallArch.X32, SyscallArch.I386];

    private static uint Verdict(ClassicInstruction[] filter, SyscallArch abi, string syscall, params ulong[] args)
    {
        Assert.True(SyscallTable.For(abi).TryGetNumber(syscall, out var nr), $"{syscall} unknown on {abi}");
        return ClassicInterpreter.Run(filter, SeccompData.For(nr, abi.AuditArch(), args));
    }

    private static readonly uint EPerm = SeccompAction.Errno | 1, EInval = SeccompAction.Errno | 22;

    [Theory]
    [InlineData(SyscallArch.X86_64)]
    [InlineData(SyscallArch.X32)]
    [InlineData(SyscallArch.I386)]
    public void Terminal_input_injection_is_refused_on_every_x86_abi_whatever_the_upper_bits(SyscallArch abi)
    {
        var filter = SandboxBaseFilter.Build(X86, refuseNewListener: true, signals: null);
        Assert.Equal(EPerm, Verdict(filter, abi, "ioctl", 0, SandboxBaseFilter.TIOCSTI));
        Assert.Equal(EPerm, Verdict(filter, abi, "ioctl", 5, 0x1_0000_0000UL | SandboxBaseFilter.TIOCSTI));
        Assert.Equal(EPerm, Verdict(filter, abi, "ioctl", 0, SandboxBaseFilter.TIOCLINUX));
        Assert.Equal(SeccompAction.Allow, Verdict(filter, abi, "ioctl", 0, 0x5401 /* TCGETS */));
        Assert.Equal(SeccompAction.Allow, Verdict(filter, abi, "read", 0, SandboxBaseFilter.TIOCSTI));
    }

    [Fact]
    public void A_new_listener_is_refused_only_when_the_plan_has_none()
    {
        const ulong newListener = 1 << 3, tsync = 1;
        var without = SandboxBaseFilter.Build(X86, refuseNewListener: true, signals: null);
        Assert.Equal(EInval, Verdict(without, SyscallArch.X86_64, "seccomp", 1, newListener | tsync));
        Assert.Equal(EInval, Verdict(without, SyscallArch.I386, "seccomp", 1, newListener));
        Assert.Equal(SeccompAction.Allow, Verdict(without, SyscallArch.X86_64, "seccomp", 1, tsync));
        var with = SandboxBaseFilter.Build(X86, refuseNewListener: false, signals: null);
        Assert.Equal(SeccompAction.Allow, Verdict(with, SyscallArch.X86_64, "seccomp", 1, newListener));
    }

    [Fact]
    public void Without_landlock_signal_scoping_calls_naming_the_supervisor_are_refused()
    {
        var filter = SandboxBaseFilter.Build(X86, refuseNewListener: true, new SandboxBaseFilter.SignalGuard(SupervisorPid, SupervisorGroup));
        foreach (var abi in X86)
        {
            Assert.Equal(EPerm, Verdict(filter, abi, "kill", SupervisorPid, 9));
            Assert.Equal(EPerm, Verdict(filter, abi, "kill", unchecked((ulong)-1L), 9));
            Assert.Equal(EPerm, Verdict(filter, abi, "kill", unchecked((ulong)-(long)SupervisorGroup), 9));
            Assert.Equal(EPerm, Verdict(filter, abi, "tgkill", SupervisorPid, SupervisorPid, 9));
            Assert.Equal(EPerm, Verdict(filter, abi, "pidfd_open", SupervisorPid, 0));
            Assert.Equal(SeccompAction.Allow, Verdict(filter, abi, "kill", SupervisorPid + 1, 9));
            Assert.Equal(SeccompAction.Allow, Verdict(filter, abi, "kill", 0, 15));
        }
        var scoped = SandboxBaseFilter.Build(X86, refuseNewListener: true, signals: null);
        Assert.Equal(SeccompAction.Allow, Verdict(scoped, SyscallArch.X86_64, "kill", SupervisorPid, 9));
    }

    [Fact]
    public void Other_architectures_are_left_to_the_policy()
    {
        var filter = SandboxBaseFilter.Build(X86, refuseNewListener: true, signals: null);
        Assert.Equal(SeccompAction.Allow, ClassicInterpreter.Run(filter, SeccompData.For(29, AuditArch.AArch64, 0, SandboxBaseFilter.TIOCSTI)));
    }
}
