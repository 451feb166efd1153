using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;
using SeccompEbpf.Linux.Kernel;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>
/// Hand-picked programs on the edges of the privileged rules (CAP_BPF + CAP_PERFMON as root),
/// loaded as socket filters: our verifier must decide as the running kernel does.
/// </summary>
public sealed class PrivilegedRulesKernelTests
{
    private static Instruction Alu(OpClass cls, AluOp op, int dst, int imm) => new(Opcodes.Alu(cls, op, false), (byte)dst, 0, 0, imm);
    private static Instruction MovR(int dst, int src) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, true), (byte)dst, (byte)src, 0, 0);
    private static Instruction Mov(int dst, int imm) => Alu(OpClass.Alu64, AluOp.Mov, dst, imm);
    private static Instruction Exit() => new(Opcodes.Exit, 0, 0, 0, 0);
    private static Instruction Call(int id) => new(Opcodes.Call, 0, 0, 0, id);
    private static Instruction Mem(OpClass cls, MemSize size, int dst, int src, int off, int imm = 0, MemMode mode = MemMode.Mem) =>
        new(Opcodes.Mem(cls, mode, size), (byte)dst, (byte)src, (short)off, imm);

    public static TheoryData<string, bool> Cases() => new()
    {
        { "neg of a pointer gives a number", true },
        { "byte swap of a pointer gives a number", true },
        { "32-bit sub on a pointer gives a number", true },
        { "32-bit add on a pointer", false },
        { "32-bit comparison of a pointer", true },
        { "uninitialised stack read", true },
        { "variable-offset stack read, aligned", true },
        { "variable-offset stack read, misaligned", false },
        { "variable-offset stack write past the frame", false },
        { "full caller stack and a function without stack", true },
        { "frames rounded up to 16 bytes", false },
        { "map key at a variable stack offset", true },
        { "variable-offset map key that may leave the frame", false },
    };

    private static readonly MapSpec Hash = new("priv_hash", MapType.Hash, 4, 8, 4);

    private static Instruction[] Program(string name, int mapFd) => name switch
    {
        "neg of a pointer gives a number" => [MovR(1, 10), Alu(OpClass.Alu64, AluOp.Neg, 1, 0), MovR(0, 1), Exit()],
        "byte swap of a pointer gives a number" => [MovR(1, 10), new Instruction(0xd7, 1, 0, 0, 64), MovR(0, 1), Exit()],
        "32-bit sub on a pointer gives a number" => [MovR(1, 10), Alu(OpClass.Alu, AluOp.Sub, 1, 8), MovR(0, 1), Exit()],
        "32-bit add on a pointer" => [MovR(1, 10), Alu(OpClass.Alu, AluOp.Add, 1, 8), Mov(0, 0), Exit()],
        "32-bit comparison of a pointer" => [MovR(1, 10), new Instruction(Opcodes.Jump(OpClass.Jmp32, JmpOp.Jgt, false), 1, 0, 1, 5), Mov(0, 0), Mov(0, 1), Exit()],
        "uninitialised stack read" => [Mem(OpClass.Ldx, MemSize.DW, 0, 10, -8), Exit()],
        "variable-offset stack read, aligned" => VariableRead(MemSize.DW, shift: 3),
        "variable-offset stack read, misaligned" => VariableRead(MemSize.DW, shift: 0),
        "variable-offset stack write past the frame" =>
            [Call(7), Alu(OpClass.Alu64, AluOp.And, 0, 15), MovR(1, 10), Alu(OpClass.Alu64, AluOp.Add, 1, -8), new(Opcodes.Alu(OpClass.Alu64, AluOp.Add, true), 1, 0, 0, 0),
             Mem(OpClass.St, MemSize.B, 1, 0, 0, 1), Mov(0, 0), Exit()],
        "full caller stack and a function without stack" =>
            [Mem(OpClass.St, MemSize.B, 10, 0, -512, 1), new(Opcodes.Call, 0, CallSource.Local, 0, 1), Exit(), Mov(0, 0), Exit()],
        "frames rounded up to 16 bytes" =>
            [Mem(OpClass.St, MemSize.B, 10, 0, -500, 1), new(Opcodes.Call, 0, CallSource.Local, 0, 1), Exit(), Mem(OpClass.St, MemSize.B, 10, 0, -1, 1), Mov(0, 0), Exit()],
        "map key at a variable stack offset" => VariableKeyLookup(mapFd, mask: 1),
        "variable-offset map key that may leave the frame" => VariableKeyLookup(mapFd, mask: 3),
        _ => throw new ArgumentException(name),
    };

    /// <summary>fp-8..-1 written; key pointer R2 = fp-8 + (random &amp; mask) * 4; lookup.</summary>
    private static Instruction[] VariableKeyLookup(int mapFd, int mask)
    {
        var (lo, hi) = Instruction.LoadImm64(1, (uint)mapFd, LoadImmSource.MapFd);
        return
        [
            Mem(OpClass.St, MemSize.DW, 10, 0, -8, 0), Call(7), Alu(OpClass.Alu64, AluOp.And, 0, mask), Alu(OpClass.Alu64, AluOp.Lsh, 0, 2),
            MovR(2, 10), Alu(OpClass.Alu64, AluOp.Add, 2, -8), new(Opcodes.Alu(OpClass.Alu64, AluOp.Add, true), 2, 0, 0, 0),
            lo, hi, Call(1), Mov(0, 0), Exit(),
        ];
    }

    /// <summary>R1 = fp-64 + (random &amp; 7) &lt;&lt; shift, then an 8-byte load there.</summary>
    private static Instruction[] VariableRead(MemSize size, int shift) =>
    [
        Call(7), Alu(OpClass.Alu64, AluOp.And, 0, 7), Alu(OpClass.Alu64, AluOp.Lsh, 0, shift),
        MovR(1, 10), Alu(OpClass.Alu64, AluOp.Add, 1, -64), new(Opcodes.Alu(OpClass.Alu64, AluOp.Add, true), 1, 0, 0, 0),
        Mem(OpClass.Ldx, size, 0, 1, 0), Exit(),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void OurVerifierDecidesAsTheKernel(string name, bool accepted)
    {
        bool kernelAvailable = (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root") && KernelBpf.IsAvailable(out _);
        using var map = kernelAvailable ? KernelBpf.TryCreateMap(Hash).Fd : null;
        int mapFd = map?.Fd ?? 0;
        var program = Program(name, mapFd);
        var options = new VerifierOptions(SocketFilterLikeRules.Instance)
        {
            Helpers = new Dictionary<int, HelperPrototype>
            {
                [1] = new(1, "map_lookup_elem", HelperReturn.PtrToMapValueOrNull, HelperArg.ConstMapPtr, HelperArg.PtrToMapKey),
                [7] = new(7, "get_prandom_u32", HelperReturn.Integer),
            },
            Maps = new Dictionary<int, MapSpec> { [mapFd] = Hash },
        }.AsPrivileged();
        var ours = BpfVerifier.Verify(program, options);
        Assert.True(accepted == ours.Accepted, $"{name}: we {(ours.Accepted ? "accept" : "reject: " + ours.Error)}");

        Assert.SkipUnless(kernelAvailable, "needs root and bpf(2) to compare with the kernel's verifier");
        var kernel = KernelBpf.LoadProgram(KernelProgType.SocketFilter, program, logLevel: 1, logSize: 1 << 16);
        kernel.Program?.Dispose();
        Assert.True(accepted == kernel.Accepted, $"{name}: the kernel {(kernel.Accepted ? "accepts" : "rejects: " + kernel.Log)}");
    }
}
