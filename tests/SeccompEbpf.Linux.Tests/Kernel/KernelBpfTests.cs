using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Linux.Kernel;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>The bpf(2) bridge itself: map creation, program load with the verifier log, test runs.</summary>
public sealed class KernelBpfTests
{
    private static void RequireBpf()
    {
        Assert.SkipUnless(KernelBpf.IsAvailable(out var reason), reason);
    }

    private static Instruction Mov(byte dst, int imm) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), dst, 0, 0, imm);
    private static readonly Instruction Exit = new(Opcodes.Exit, 0, 0, 0, 0);

    [Fact]
    public void CreatesArrayAndHashMaps()
    {
        RequireBpf();
        var (array, e1) = KernelBpf.TryCreateMap(new MapSpec("t_array", MapType.Array, 4, 8, 4));
        var (hash, e2) = KernelBpf.TryCreateMap(new MapSpec("t_hash", MapType.Hash, 4, 8, 4));
        using (array) using (hash)
        {
            Assert.Equal(0, e1);
            Assert.Equal(0, e2);
            Assert.True(array!.Fd > 2 && hash!.Fd > 2 && array.Fd != hash.Fd);
        }
    }

    [Fact]
    public void RejectsABadMapWithAnErrno()
    {
        RequireBpf();
        var (fd, errno) = KernelBpf.TryCreateMap(new MapSpec("t_bad", MapType.Array, 3, 8, 4)); // array keys must be 4 bytes
        Assert.Null(fd);
        Assert.Equal(22, errno); // EINVAL
    }

    [Fact]
    public void LoadsAndTestRunsASocketFilter()
    {
        RequireBpf();
        var load = KernelBpf.LoadProgram(KernelProgType.SocketFilter, [Mov(0, 42), Exit], logLevel: 1);
        using var prog = load.Program;
        Assert.True(load.Accepted, load.Log);
        var (run, errno) = KernelBpf.TestRun(prog!, new byte[64], repeat: 100);
        Assert.Equal(0, errno);
        Assert.Equal(42u, run!.ReturnValue);
    }

    [Fact]
    public void ReturnsTheVerifierLogOnRejection()
    {
        RequireBpf();
        var load = KernelBpf.LoadProgram(KernelProgType.SocketFilter, [Exit], logLevel: 1);
        Assert.False(load.Accepted);
        Assert.Equal(13, load.Errno); // EACCES
        Assert.Contains("R0 !read_ok", load.Log);
    }
}
