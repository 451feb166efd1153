using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;
using static SeccompEbpf.Bpf.Helpers.HelperArg;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>
/// Soundness of the verifier against execution: every generated program it accepts runs in the
/// engine's fully checked interpreter (every memory access bounds-checked) without a fault.
/// Needs no kernel: the same generator as the differential test, maps referred to by index.
/// </summary>
public sealed class AcceptedProgramsRunSafelyTests
{
    [Fact]
    public void EveryAcceptedGeneratedProgramRunsWithoutAFault()
    {
        var hashSpec = new MapSpec("hash", MapType.Hash, 4, DifferentialProgramGenerator.HashValueSize, 16);
        var arraySpec = new MapSpec("array", MapType.Array, 4, DifferentialProgramGenerator.ArrayValueSize, 4);
        HelperPrototype[] helpers =
        [
            new(1, "map_lookup_elem", HelperReturn.PtrToMapValueOrNull, ConstMapPtr, PtrToMapKey),
            new(5, "ktime_get_ns", HelperReturn.Integer),
            new(7, "get_prandom_u32", HelperReturn.Integer),
            new(8, "get_smp_processor_id", HelperReturn.Integer),
        ];
        var options = new VerifierOptions(SocketFilterLikeRules.Instance)
        {
            Helpers = helpers.ToDictionary(h => h.Id),
            Maps = new Dictionary<int, MapSpec> { [0] = hashSpec, [1] = arraySpec },
        }.AsPrivileged();

        int accepted = 0;
        var faults = new List<string>();
        var context = new BpfRunContext();
        var memory = new byte[64];
        for (int seed = 0; seed < 2000; seed++)
        {
            var program = new DifferentialProgramGenerator(seed, hashMap: 0, arrayMap: 1).Generate(2 + seed % 12);
            if (!BpfVerifier.Verify(program, options).Accepted) continue;
            accepted++;
            var created = BpfProgram.Create($"seed{seed}", program, [hashSpec, arraySpec]);
            Assert.True(created.IsOk, created.Error?.ToString());
            var bpf = created.Value;
            try
            {
                var exe = BpfEngines.Prepare(bpf);
                if (!exe.IsOk && ProvenAccessSoundnessTests.IsEngineInitCheck(exe.Error!)) continue;
                Assert.True(exe.IsOk, $"seed {seed}: engine refused an accepted program: {exe.Error}");
                for (int run = 0; run < 3; run++)
                {
                    var result = exe.Value.RunWithMemory(context, memory);
                    if (!result.IsOk) { faults.Add($"seed {seed}: {result.Error}"); break; }
                }
            }
            finally
            {
                foreach (var m in bpf.Maps) m.Dispose();
            }
        }
        Assert.True(accepted > 500, $"only {accepted} programs accepted");
        Assert.True(faults.Count == 0, $"{faults.Count} accepted programs faulted:\n" + string.Join("\n", faults.Take(10)));
    }
}
