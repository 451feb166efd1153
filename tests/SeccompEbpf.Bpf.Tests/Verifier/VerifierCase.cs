using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Bpf.Verifier;
using static SeccompEbpf.Bpf.Helpers.HelperArg;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>One accept/reject case: the rule it checks is in its name and, for rejections, in <see cref="ExpectRule"/>.</summary>
internal sealed record VerifierCase(string Name, Instruction[] Program, string? ExpectRule, bool Privileged = true)
{
    public Func<VerifierOptions, VerifierOptions>? Configure { get; init; }

    public static VerifierCase Accept(string name, params object[] parts) => new(name, I.P(parts), null);
    public static VerifierCase Reject(string name, string rule, params object[] parts) => new(name, I.P(parts), rule);

    public VerifierCase Unprivileged() => this with { Privileged = false };

    /// <summary>Privileged, but without CAP_PERFMON's leave to read uninitialised stack.</summary>
    public VerifierCase RefusingUninitializedStackReads() => this with { Configure = o => o with { AllowUninitializedStackReads = false } };

    public VerificationResult Run()
    {
        var o = Options(Privileged);
        if (Configure is not null) o = Configure(o);
        return BpfVerifier.Verify(Program, o);
    }

    public static readonly MapSpec Hash = new("hash", MapType.Hash, 4, 8, 16);
    public static readonly MapSpec Array16 = new("array", MapType.Array, 4, 16, 4);
    public static readonly MapSpec Single = new("single", MapType.Array, 4, 8, 1);
    public static readonly MapSpec Ring = new("ring", MapType.RingBuf, 0, 0, 4096);
    public static readonly MapSpec ReadOnly = new("rodata", MapType.Array, 4, 8, 1) { ReadOnlyForProgram = true };
    public static readonly MapSpec Queue = new("queue", MapType.Queue, 0, 8, 16);

    public static readonly HelperPrototype[] TestHelpers =
    [
        new(1, "map_lookup_elem", HelperReturn.PtrToMapValueOrNull, ConstMapPtr, PtrToMapKey),
        new(2, "map_update_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapKey, PtrToMapValue, Scalar),
        new(3, "map_delete_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapKey),
        new(5, "ktime_get_ns", HelperReturn.Integer),
        new(7, "get_prandom_u32", HelperReturn.Integer),
        new(87, "map_push_elem", HelperReturn.Integer, ConstMapPtr, PtrToMapValue, Scalar),
        new(112, "probe_read_user", HelperReturn.Integer, PtrToUninitMem, ConstSizeOrZero, Scalar),
        new(130, "ringbuf_output", HelperReturn.Integer, ConstMapPtr, PtrToMem, ConstSizeOrZero, Scalar),
        new(131, "ringbuf_reserve", HelperReturn.PtrToAllocMemOrNull, ConstMapPtr, ConstSize, Scalar),
        new(132, "ringbuf_submit", HelperReturn.Void, PtrToAllocMem, Scalar),
        new(133, "ringbuf_discard", HelperReturn.Void, PtrToAllocMem, Scalar),
        new(156, "task_storage_get", HelperReturn.PtrToMapValueOrNull, ConstMapPtr, PtrToTaskOrNull, PtrToStackOrNull, Scalar),
        new(164, "for_each_map_elem", HelperReturn.Integer, ConstMapPtr, PtrToFunc, PtrToStackOrNull, Scalar),
        new(6, "trace_printk", HelperReturn.Integer, PtrToMem, ConstSize),
        new(999, "takes_ctx", HelperReturn.Integer, PtrToCtx),
    ];

    public static VerifierOptions Options(bool privileged)
    {
        var o = new VerifierOptions(TestContextRules.Instance)
        {
            Helpers = TestHelpers.ToDictionary(h => h.Id),
            Maps = new Dictionary<int, MapSpec> { [0] = Hash, [1] = Array16, [2] = Single, [3] = Ring, [4] = ReadOnly, [5] = Queue },
        };
        return privileged ? o.AsPrivileged() : o;
    }

    public override string ToString() => Name;
}
