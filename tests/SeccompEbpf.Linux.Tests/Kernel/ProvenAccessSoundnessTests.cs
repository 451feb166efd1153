using System.Buffers.Binary;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;
using static SeccompEbpf.Bpf.Helpers.HelperArg;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>
/// Soundness of the verifier against execution: every generated program it accepts runs in the
/// fully checked JIT build without a fault, and under the JIT with the proven checks removed
/// (<see cref="VerifiedProgram"/>) gives the same R0, no error and the same memory, input after input. The harness
/// (<see cref="UncheckedRunComparer"/>) is shown to catch a wrong proof and a different result.
/// Needs no kernel: the generator of the kernel differential, maps referred to by index.
/// </summary>
public sealed class ProvenAccessSoundnessTests(ITestOutputHelper output)
{
    private const int Programs = 2000, InputsPerProgram = 4;
    private static readonly MapSpec HashSpec = new("hash", MapType.Hash, 4, DifferentialProgramGenerator.HashValueSize, 16);
    private static readonly MapSpec ArraySpec = new("array", MapType.Array, 4, DifferentialProgramGenerator.ArrayValueSize, 4);

    /// <summary>The engine's helpers, but the processor id is fixed so that both builds see the same numbers.</summary>
    private static readonly HelperTable DeterministicHelpers = HelperTable.Base.With(
        new HelperDefinition(HelperTable.Base.Find(8)!.Prototype, (_, _, _, _, _, _) => 1));

    private static readonly VerifierOptions Options = new VerifierOptions(SocketFilterLikeRules.Instance)
    {
        Helpers = new[] { 1, 5, 7, 8 }.ToDictionary(id => id, id => HelperTable.Base.Find(id)!.Prototype),
    }.AsPrivileged();

    [Fact]
    public void EveryAcceptedGeneratedProgramGivesTheSameResultsWithItsProvenChecksRemoved()
    {
        var comparer = new UncheckedRunComparer(InputsPerProgram);
        int accepted = 0, engineRefused = 0, runs = 0, proven = 0, accesses = 0, noBudget = 0;
        var failures = new List<string>();
        for (int seed = 0; seed < Programs; seed++)
        {
            var code = new DifferentialProgramGenerator(seed, hashMap: 0, arrayMap: 1).Generate(2 + seed % 12);
            if (!BpfVerifier.Verify(code, Options with { Maps = new Dictionary<int, MapSpec> { [0] = HashSpec, [1] = ArraySpec } }).Accepted) continue;
            accepted++;
            var program = CreateWithFilledMaps($"seed{seed}", code);
            try
            {
                var verified = VerifiedProgram.Prepare(program, Options);
                if (!verified.IsOk && IsEngineInitCheck(verified.Error!)) { engineRefused++; continue; }
                Assert.True(verified.IsOk, $"seed {seed}: accepted alone but not prepared: {verified.Error}");
                var proofs = verified.Value.Verification.Accesses;
                proven += proofs.ProvenSafe.Count;
                accesses += proofs.MemoryAccesses;
                if (!verified.Value.Compiled.Options.EnforceInstructionBudget) noBudget++;
                var outcome = comparer.Compare(program, verified.Value, proofs.ProvenSafe);
                runs += outcome.Runs;
                if (outcome.Verdict != UncheckedRunComparer.Verdict.Same) failures.Add($"seed {seed}: {outcome.Verdict}: {outcome.Detail}");
            }
            finally
            {
                foreach (var m in program.Maps) m.Dispose();
            }
        }
        output.WriteLine($"{accepted} of {Programs} generated programs accepted ({engineRefused} of them refused by the engine's path-insensitive register check); {proven} of their {accesses} memory accesses proven and run unchecked; " +
                         $"{noBudget} compiled without an instruction budget; {runs} input runs compared, {failures.Count} differences");
        Assert.True(failures.Count == 0, $"{failures.Count} programs behaved differently:\n" + string.Join("\n", failures.Take(10)));
        Assert.True(accepted > 500, $"only {accepted} programs accepted");
        Assert.True(proven > accesses / 2, $"only {proven} of {accesses} accesses proven: the check would say little");
    }

    [Fact]
    public void AWrongProofIsCaughtByTheCheckedRunAndTheUncheckedBuildNeverRuns()
    {
        // Element 3 of the array is the last one in its slab: offset 64 of its value is past the slab.
        var code = I(
            new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.W), 10, 0, -4, 3),
            MovR(2, 10), AddImm(2, -4), LoadMap(1, 1), Call(1),
            Jeq0(0, 2),
            new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, MemSize.DW), 0, 0, 64, 0),
            Exit(),
            MovImm(0, 0), Exit());
        const int wildLoad = 7;
        Assert.False(BpfVerifier.Verify(code, Options with { Maps = new Dictionary<int, MapSpec> { [0] = HashSpec, [1] = ArraySpec } }).Accepted);
        var program = CreateWithFilledMaps("wild", code);
        try
        {
            var claimed = new HashSet<int> { 0, wildLoad };
            var withoutChecks = new CountingExecutable(BpfJit.Compile(program, new JitOptions { ProvenSafeAccesses = claimed }).Value);
            var outcome = new UncheckedRunComparer(InputsPerProgram).Compare(program, withoutChecks, claimed);
            Assert.Equal(UncheckedRunComparer.Verdict.ProvenAccessFaulted, outcome.Verdict);
            Assert.Contains($"instruction {wildLoad} is claimed proven", outcome.Detail);
            Assert.Equal(0, withoutChecks.Runs);
        }
        finally
        {
            foreach (var m in program.Maps) m.Dispose();
        }
    }

    [Fact]
    public void ADifferentResultFromTheUncheckedBuildIsReported()
    {
        var program = CreateWithFilledMaps("one", I(MovImm(0, 1), Exit()));
        var other = CreateWithFilledMaps("two", I(MovImm(0, 2), Exit()));
        try
        {
            var outcome = new UncheckedRunComparer(1).Compare(program, BpfJit.Compile(other).Value, new HashSet<int>());
            Assert.Equal(UncheckedRunComparer.Verdict.Differs, outcome.Verdict);
        }
        finally
        {
            foreach (var m in program.Maps.Concat(other.Maps)) m.Dispose();
        }
    }

    /// <summary>
    /// The engine's own structural check is path-insensitive: it refuses a register read on a path
    /// the verifier proved dead. Refusing is the safe direction, so such programs are skipped.
    /// </summary>
    private static bool IsEngineInitCheck(Bpf.BpfError error) => error.Message.Contains("is read before it is written on some path");

    /// <summary>The program with its own maps; the hash map holds keys 0..4 so that lookups succeed (the corpus never changes keys).</summary>
    private static BpfProgram CreateWithFilledMaps(string name, Instruction[] code)
    {
        var program = BpfProgram.Create(name, code, [HashSpec, ArraySpec], DeterministicHelpers).Value;
        Span<byte> key = stackalloc byte[4];
        var value = new byte[HashSpec.ValueSize];
        for (uint k = 0; k < 5; k++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(key, k);
            value[0] = (byte)(k + 1);
            Assert.Equal(0, program.Maps[0].Update(key, value));
        }
        return program;
    }

    private static Instruction[] I(params object[] parts) =>
        parts.SelectMany(p => p is Instruction[] many ? many : [(Instruction)p]).ToArray();
    private static Instruction MovImm(int dst, int imm) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), (byte)dst, 0, 0, imm);
    private static Instruction MovR(int dst, int src) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, true), (byte)dst, (byte)src, 0, 0);
    private static Instruction AddImm(int dst, int imm) => new(Opcodes.Alu(OpClass.Alu64, AluOp.Add, false), (byte)dst, 0, 0, imm);
    private static Instruction Jeq0(int dst, int off) => new(Opcodes.Jump(OpClass.Jmp, JmpOp.Jeq, false), (byte)dst, 0, (short)off, 0);
    private static Instruction Call(int id) => new(Opcodes.Call, 0, 0, 0, id);
    private static Instruction Exit() => new(Opcodes.Exit, 0, 0, 0, 0);
    private static Instruction[] LoadMap(int dst, int map)
    {
        var (lo, hi) = Instruction.LoadImm64((byte)dst, (uint)map, LoadImmSource.MapFd);
        return [lo, hi];
    }

    /// <summary>Counts the runs of a build, to show the harness never ran it.</summary>
    private sealed class CountingExecutable(IBpfExecutable inner) : IBpfExecutable
    {
        public int Runs { get; private set; }
        public BpfProgram Program => inner.Program;
        public EngineKind Kind => inner.Kind;
        public BpfRunResult Run(BpfRunContext context, in BpfRunArgs args)
        {
            Runs++;
            return inner.Run(context, args);
        }
    }
}
