using System.Buffers.Binary;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Tests.Elf;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>
/// The example filters (clang-19) prepared with their proofs: every context read and every map
/// access is proven, and the unchecked build gives the same actions as the checked one over a
/// sequence of system calls (each build with its own maps, fed the same sequence).
/// </summary>
public sealed class ExampleFiltersWithProofsTests
{
    private static readonly (int Nr, ulong Arg)[] Calls =
        [(3, 999), (3, 998), (39, 0), (39, 0), (59, 0), (59, 0), (257, 0), (0, 5), (322, 0), (39, 0), (3, 999)];

    public static TheoryData<string> Examples() => new(ExampleFilters.All);

    [Theory]
    [MemberData(nameof(Examples))]
    public void AllAccessesAreProvenAndTheActionsAreTheSame(string example)
    {
        var obj = BpfObjectLoader.LoadFile(ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(example)));
        Assert.True(obj.IsOk, obj.Error?.ToString());
        using var checkedInstance = BpfObjectInstance.Create(obj.Value).Value;
        using var provenInstance = BpfObjectInstance.Create(obj.Value).Value;
        string name = Assert.Single(obj.Value.Programs).Name;
        var checkedBuild = BpfJit.Compile(checkedInstance.Program(name, Helpers).Value).Value;
        var program = provenInstance.Program(name, Helpers).Value;

        var options = new VerifierOptions(TestContextRules.Instance)
        {
            Helpers = program.Helpers.All.ToDictionary(h => h.Id, h => h.Prototype),
        }.AsPrivileged();
        var verified = VerifiedProgram.Prepare(program, options);
        Assert.True(verified.IsOk, verified.Error?.ToString());
        var proofs = verified.Value.Verification.Accesses;
        Assert.Equal(0, proofs.Unproven);
        Assert.Equal(proofs.MemoryAccesses - proofs.NotReached, proofs.ProvenSafe.Count);
        Assert.NotEmpty(proofs.ProvenSafe);

        using var context = new BpfRunContext { MonotonicNanoseconds = () => 1 };
        foreach (var (nr, arg) in Calls)
        {
            var data = SeccompData(nr, arg);
            var expected = checkedBuild.RunWithContext(context, data);
            var actual = verified.Value.RunWithContext(context, data);
            Assert.Equal((expected.R0, expected.Error?.Message), (actual.R0, actual.Error?.Message));
        }
    }

    /// <summary>The engine's helpers plus a stand-in probe_read_user_str that writes "/etc/hosts" (truncated to the size).</summary>
    private static readonly HelperTable Helpers = HelperTable.Base.With(new HelperDefinition(
        new HelperPrototype(HelperIds.ProbeReadUserStr, "probe_read_user_str", HelperReturn.Integer,
            HelperArg.PtrToUninitMem, HelperArg.ConstSizeOrZero, HelperArg.Anything),
        (ctx, dst, size, _, _, _) =>
        {
            if (!ctx.TryGetSpan(dst, size, write: true, out var target)) return ctx.Fail($"dst 0x{dst:x} is not writable");
            var text = "/etc/hosts\0"u8;
            int n = (int)Math.Min((ulong)text.Length, size);
            if (n == 0) return 0;
            text[..n].CopyTo(target);
            target[n - 1] = 0;
            return (ulong)n;
        }));

    private static byte[] SeccompData(int nr, ulong arg)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), ExampleRunner.ArchX86_64);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), arg);
        return data;
    }
}
