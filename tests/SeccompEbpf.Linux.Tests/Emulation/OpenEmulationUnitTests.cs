using SeccompEbpf.Linux.Interop;
using SeccompEbpf.Linux.Supervisor;
using SeccompEbpf.Linux.Supervisor.Emulation;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Tests.Emulation;

/// <summary>The parts of open emulation that need no sandbox: what the filter saw wins, /proc status parsing, flag rules, the call table.</summary>
public sealed class OpenEmulationUnitTests
{
    [Fact]
    public void Recorded_bytes_are_laid_over_a_fresh_read_and_a_recorded_fault_makes_the_rest_of_its_page_unknown()
    {
        var memory = new CallerMemory();
        memory.Add(0x1002, "ok"u8, 2);                // the filter read "ok" at 0x1002
        memory.Add(0x1ffe, "ab"u8, 8);                // and found 0x2000 unreadable
        var fresh = "XXXXXX"u8.ToArray();
        var known = new bool[6];
        Array.Fill(known, true);
        memory.Overlay(0x1000, fresh, known);
        Assert.Equal("XXokXX"u8.ToArray(), fresh);

        var atPageEnd = new byte[4];
        var knownAtEnd = new[] { true, true, true, true };
        memory.Overlay(0x1ffe, atPageEnd, knownAtEnd);
        Assert.Equal("ab\0\0"u8.ToArray(), atPageEnd);
        Assert.Equal(new[] { true, true, false, false }, knownAtEnd);
    }

    [Fact]
    public void Credentials_are_the_filesystem_ids_groups_capabilities_and_umask_of_proc_status()
    {
        var status = "Name:\tx\nUmask:\t0027\nTgid:\t41\nPid:\t42\nUid:\t1000\t1001\t1002\t1003\nGid:\t2000\t2001\t2002\t2003\nGroups:\t4 24 100 \nCapEff:\t0000000000000002\n";
        var credentials = CallerCredentials.Parse(status);
        Assert.NotNull(credentials);
        Assert.Equal((1003u, 2003u, 2ul, 0x17u, 41), (credentials!.FsUid, credentials.FsGid, credentials.EffectiveCaps, credentials.Umask, credentials.Tgid));
        Assert.Equal(new uint[] { 4, 24, 100 }, credentials.Groups);
        Assert.Null(CallerCredentials.Parse(status.Replace("Umask:\t0027\n", "")));
    }

    [Theory]
    [InlineData(OpenFlags.O_RDONLY | 0x40000000, 0x1A4u /* 0644 */, OpenFlags.O_RDONLY, 0u)]                              // unknown bits dropped, mode only with O_CREAT
    [InlineData(OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0x8FFFu /* 0107777 */, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0xFFFu)] // mode masked to S_IALLUGO (07777)
    [InlineData(OpenFlags.O_PATH | OpenFlags.O_RDWR | OpenFlags.O_TRUNC | OpenFlags.O_NOFOLLOW, 0u, OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW, 0u)] // O_PATH keeps its own flags
    public void The_old_open_calls_derive_their_flags_as_the_kernel_does(int flags, uint mode, int expectedFlags, uint expectedMode)
    {
        var how = OpenRequest.Legacy(flags, mode);
        Assert.Equal(((ulong)(uint)expectedFlags, (ulong)expectedMode, 0ul), (how.Flags, how.Mode, how.Resolve));
    }

    [Theory]
    [InlineData(SyscallArch.X86_64, "open", true)]
    [InlineData(SyscallArch.X86_64, "openat2", true)]
    [InlineData(SyscallArch.I386, "open", true)]
    [InlineData(SyscallArch.I386, "creat", true)]
    [InlineData(SyscallArch.X32, "openat", true)]
    [InlineData(SyscallArch.X86_64, "execve", false)]
    [InlineData(SyscallArch.X86_64, "open_tree", false)]
    public void The_open_family_is_numbered_from_the_syscall_tables_for_every_abi_of_the_machine(SyscallArch abi, string name, bool emulated)
    {
        Assert.SkipUnless(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64, "the ABIs listed are x86_64's");
        Assert.True(SyscallTable.For(abi).TryGetNumber(name, out var nr));
        Assert.Equal(emulated, OpenFamily.TryGet(abi.AuditArch(), nr, out var call));
        if (emulated) Assert.Equal(abi, call.Abi);
    }

    [Fact]
    public void Only_the_32_bit_compat_open_and_openat_leave_O_LARGEFILE_out()
    {
        Assert.False(new OpenSyscall(OpenCall.Open, SyscallArch.I386).ForcesLargeFile);
        Assert.False(new OpenSyscall(OpenCall.OpenAt, SyscallArch.I386).ForcesLargeFile);
        Assert.True(new OpenSyscall(OpenCall.Creat, SyscallArch.I386).ForcesLargeFile);
        Assert.True(new OpenSyscall(OpenCall.OpenAt2, SyscallArch.I386).ForcesLargeFile);
        Assert.True(new OpenSyscall(OpenCall.Open, SyscallArch.X86_64).ForcesLargeFile);
    }
}
