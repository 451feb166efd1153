using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;
using SeccompEbpf.Tests.Policy;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Tests.Arches;

/// <summary>The per-ABI facts and tables: consistent with each other, with the kernel's layout and with libseccomp.</summary>
public class SyscallArchTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryLibSeccompArchitectureIsKnownOnce()
    {
        Assert.Equal(23, SyscallArchInfo.All.Count);
        Assert.Equal(SyscallArchInfo.All.Count, SyscallArchInfo.All.Select(a => a.ShortName()).Distinct().Count());
        foreach (var arch in SyscallArchInfo.All)
        {
            Assert.True(SyscallArchInfo.TryParse(arch.OciName(), out var parsed) && parsed == arch, arch.OciName());
            Assert.False(AuditArch.Name(arch.AuditArch()).StartsWith("0x"), arch.ShortName());
            Assert.True(SyscallTable.For(arch).Count > 300, $"{arch.ShortName()}: {SyscallTable.For(arch).Count} calls");
        }
        // Only x32 shares an audit arch (x86_64's); its numbers carry the x32 bit instead.
        var shared = SyscallArchInfo.All.GroupBy(a => a.AuditArch()).Where(g => g.Count() > 1).ToList();
        Assert.Equal([SyscallArch.X86_64, SyscallArch.X32], Assert.Single(shared));
    }

    [Theory]
    [InlineData("SCMP_ARCH_MIPSEL64N32", SyscallArch.MipsEl64N32)]
    [InlineData("mips64le", SyscallArch.MipsEl64)]
    [InlineData("mipsle", SyscallArch.MipsEl)]
    [InlineData("loong64", SyscallArch.LoongArch64)]
    [InlineData("SCMP_ARCH_SHEB", SyscallArch.ShEb)]
    [InlineData("sh", SyscallArch.Sh)]
    [InlineData("s390x", SyscallArch.S390X)]
    [InlineData("386", SyscallArch.I386)]
    public void ProfileAndGoNamesParse(string name, SyscallArch expected)
    {
        Assert.True(SyscallArchInfo.TryParse(name, out var arch));
        Assert.Equal(expected, arch);
    }

    [Theory]
    [InlineData(SyscallArch.Mips, 4003)]
    [InlineData(SyscallArch.MipsEl64, 5000)]
    [InlineData(SyscallArch.Mips64N32, 6000)]
    [InlineData(SyscallArch.X32, 0x40000000)]
    [InlineData(SyscallArch.S390X, 3)]
    [InlineData(SyscallArch.ShEb, 3)]
    public void NumbersCarryTheirAbisBase(SyscallArch arch, int read)
    {
        Assert.True(SyscallTable.For(arch).TryGetNumber("read", out var nr));
        Assert.Equal(read, nr);
    }

    /// <summary>Little-endian SuperH is libseccomp's "sh" (AUDIT_ARCH_SHEL), big-endian its "sheb" (AUDIT_ARCH_SH).</summary>
    [Fact]
    public void ByteOrderFollowsTheAuditArch()
    {
        Assert.False(SyscallArch.Sh.Facts().BigEndian);
        Assert.True(SyscallArch.ShEb.Facts().BigEndian);
        Assert.Equal(["m68k", "mips", "mips64", "mips64n32", "parisc", "parisc64", "ppc", "ppc64", "s390", "s390x", "sheb"],
            SyscallArchInfo.All.Where(a => a.Facts().BigEndian).Select(a => a.ShortName()));
    }

    [Fact]
    public void MultiplexingAbisHaveBothMultiplexers()
    {
        var multiplexing = SyscallArchInfo.All.Where(a => a.MultiplexesSocketAndIpc()).ToList();
        Assert.Equal([SyscallArch.I386, SyscallArch.M68k, SyscallArch.Mips, SyscallArch.MipsEl, SyscallArch.Ppc, SyscallArch.Ppc64,
            SyscallArch.Ppc64Le, SyscallArch.S390, SyscallArch.S390X, SyscallArch.Sh, SyscallArch.ShEb], multiplexing);
        foreach (var arch in multiplexing)
        {
            Assert.True(SyscallTable.For(arch).TryGetNumber(MultiplexedSyscalls.SocketCall, out _), arch.ShortName());
            Assert.True(SyscallTable.For(arch).TryGetNumber(MultiplexedSyscalls.Ipc, out _), arch.ShortName());
        }
    }

    /// <summary>The committed tables are the installed libseccomp's, for every ABI it knows (drift check of the generator's output).</summary>
    [Fact]
    public void TablesAgreeWithTheInstalledLibSeccomp()
    {
        Assert.SkipUnless(LibSeccompNative.IsAvailable(), "libseccomp.so.2 not installed (apt-get install libseccomp-dev)");
        int checkedArches = 0, entries = 0;
        foreach (var arch in SyscallArchInfo.All)
        {
            uint token = LibSeccompNative.ArchResolveName(arch.ShortName());
            if (token == 0) { output.WriteLine($"{arch.ShortName()}: not in this libseccomp (its table comes from libseccomp's syscalls.csv)"); continue; }
            checkedArches++;
            foreach (var (name, nr) in SyscallTable.For(arch).Entries)
            {
                // Where the ABI multiplexes, libseccomp names a socket/IPC call by its pseudo number
                // (-100 - call, -200 - call): that checks our call numbers too.
                int expected = MultiplexedSyscalls.TryGet(arch, name, out var mux, out var call)
                    ? (mux == MultiplexedSyscalls.SocketCall ? -100 : -200) - call
                    : nr;
                int theirs = LibSeccompNative.SyscallResolveNameArch(token, name);
                Assert.True(theirs == expected, $"{arch.ShortName()} {name}: ours {expected}, libseccomp {theirs}");
                entries++;
            }
        }
        output.WriteLine($"{checkedArches} ABIs, {entries} entries equal to libseccomp's");
    }

    [Fact]
    public void TheInterpreterReadsArgumentsInTheAbisByteOrder()
    {
        var args = new SeccompArgs();
        args[0] = 0x11111111_22222222;
        Assert.Equal(0x22222222u, ClassicInterpreter.LoadWord(new SeccompData(0, AuditArch.X86_64, 0, args), 16));
        Assert.Equal(0x11111111u, ClassicInterpreter.LoadWord(new SeccompData(0, AuditArch.S390X, 0, args), 16));
        Assert.Equal(0x22222222u, ClassicInterpreter.LoadWord(new SeccompData(0, AuditArch.S390X, 0, args), 20));
        Assert.Equal(0x22222222u, ClassicInterpreter.LoadWord(new SeccompData(0, 0, 0, args), 16)); // unknown arch: little-endian
    }

    [Fact]
    public void BigEndianFiltersTestTheHighWordAtTheArgumentsOffset()
    {
        var profile = ProfileParser.Parse("""
            {"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_S390X"],
             "syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967298,"op":"SCMP_CMP_EQ"}]}]}
            """).Profile!;
        var program = ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(profile, new ProfileTarget()).Plan).Value;
        var loads = program.Where(i => i.Code == LdAbsW && i.K >= SeccompData.ArgsOffset).Select(i => i.K).ToList();
        Assert.Equal([16u, 20u], loads); // high word (1) first, then the low word (2)
        Assert.Contains(program, i => i.Code == JeqK && i.K == 1);
        var args = new SeccompArgs();
        args[0] = 0x1_0000_0002;
        Assert.Equal(SeccompAction.Allow, ClassicInterpreter.Run(program, new SeccompData(3, AuditArch.S390X, 0, args)));
    }
}
