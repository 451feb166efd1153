using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bench;

/// <summary>
/// One benchmark program: the SAME instructions run by our interpreter, our JIT and the kernel.
/// The kernel runs it as a socket filter, whose context is a struct __sk_buff; the seccomp-like
/// inputs therefore live in __sk_buff.cb[0..3] (offsets 48..63), which BPF_PROG_TEST_RUN lets us
/// set, and our engines get a context buffer with the same bytes at the same offsets. Values come
/// from the context rather than from constants so that neither verifier can fold the branches.
/// Maps are referenced by lddw src=1 (map fd): imm is the map's index here and is replaced by the
/// real file descriptor for the kernel.
/// </summary>
internal sealed record BenchProgram(string Name, Instruction[] Code, MapSpec[] Maps, string Description);

internal static class BenchPrograms
{
    public const int ContextSize = 192;     // sizeof(struct __sk_buff) on 6.x is 192
    private const short Cb0 = 48;           // offsetof(struct __sk_buff, cb[0])
    public const uint SyscallNr = 999;       // matches none of the 40 compares: the filter walks them all
    public const uint AuditArchX86_64 = 0xc000003e;
    public const uint Arg0 = 7, Arg1 = 3;
    public const uint CounterKey = 2;

    public static IReadOnlyList<BenchProgram> All { get; } = [Empty(), SeccompLike(), Loop(), MapCounter()];

    /// <summary>The context every engine gets: cb[0]=nr, cb[1]=arch, cb[2]=arg0, cb[3]=arg1, cb[4]=counter key.</summary>
    public static byte[] Context()
    {
        var ctx = new byte[ContextSize];
        BitConverter.TryWriteBytes(ctx.AsSpan(Cb0), SyscallNr);
        BitConverter.TryWriteBytes(ctx.AsSpan(Cb0 + 4), AuditArchX86_64);
        BitConverter.TryWriteBytes(ctx.AsSpan(Cb0 + 8), Arg0);
        BitConverter.TryWriteBytes(ctx.AsSpan(Cb0 + 12), Arg1);
        BitConverter.TryWriteBytes(ctx.AsSpan(Cb0 + 16), CounterKey);
        return ctx;
    }

    private static Instruction Mov(byte dst, int imm) => new(0xb7, dst, 0, 0, imm);
    private static Instruction MovX(byte dst, byte src) => new(0xbf, dst, src, 0, 0);
    private static Instruction AddImm(byte dst, int imm) => new(0x07, dst, 0, 0, imm);
    private static Instruction AddX(byte dst, byte src) => new(0x0f, dst, src, 0, 0);
    private static Instruction LdxW(byte dst, byte src, short off) => new(0x61, dst, src, off, 0);
    private static Instruction StxW(byte dst, short off, byte src) => new(0x63, dst, src, off, 0);
    private static Instruction JeqImm(byte dst, int imm, short off) => new(0x15, dst, 0, off, imm);
    private static Instruction Jne32Imm(byte dst, int imm, short off) => new(0x56, dst, 0, off, imm);
    private static Instruction JgtImm(byte dst, int imm, short off) => new(0x25, dst, 0, off, imm);
    private static Instruction JltImm(byte dst, int imm, short off) => new(0xa5, dst, 0, off, imm);
    private static Instruction Call(int helper) => new(0x85, 0, 0, 0, helper);
    private static Instruction AtomicAdd64(byte dst, byte src) => new(0xdb, dst, src, 0, 0);
    private static Instruction Exit() => new(0x95, 0, 0, 0, 0);
    private static Instruction[] LdMap(byte dst, int index) => [new(0x18, dst, LoadImmSource.MapFd, 0, index), new(0, 0, 0, 0, 0)];

    private static BenchProgram Empty() => new("empty", [Mov(0, 0), Exit()], [], "r0 = 0; exit");

    /// <summary>Arch check, 40 syscall-number compares, two argument checks (like a libseccomp allow-list).</summary>
    private static BenchProgram SeccompLike()
    {
        const int compares = 40;
        var code = new List<Instruction>
        {
            LdxW(2, 1, Cb0 + 4),                                   // 0: arch
            Jne32Imm(2, unchecked((int)AuditArchX86_64), 0),       // 1: -> kill (patched); 32-bit compare, as imm is sign-extended in 64-bit ones
            LdxW(2, 1, Cb0),                                       // 2: nr
        };
        for (int i = 0; i < compares; i++) code.Add(JeqImm(2, i * 3 + 1, 0)); // -> allow (patched)
        code.Add(LdxW(3, 1, Cb0 + 8));                              // arg0
        code.Add(LdxW(4, 1, Cb0 + 12));                             // arg1
        code.Add(JgtImm(3, 1000, 0));                               // arg0 > 1000 -> errno (patched)
        code.Add(JeqImm(4, 0x42, 0));                               // arg1 == 0x42 -> errno (patched)
        int allow = code.Count;
        code.Add(Mov(0, 0x7fff0000)); code.Add(Exit());             // SECCOMP_RET_ALLOW
        int errno = code.Count;
        code.Add(Mov(0, 0x00050001)); code.Add(Exit());             // SECCOMP_RET_ERRNO | EPERM
        int kill = code.Count;
        code.Add(Mov(0, 0)); code.Add(Exit());                      // SECCOMP_RET_KILL_THREAD

        Instruction To(int at, int target) => code[at] with { Offset = (short)(target - at - 1) };
        code[1] = To(1, kill);
        for (int i = 0; i < compares; i++) code[3 + i] = To(3 + i, allow);
        code[3 + compares + 2] = To(3 + compares + 2, errno);
        code[3 + compares + 3] = To(3 + compares + 3, errno);
        return new("seccomp-like", code.ToArray(), [], "arch check, 40 nr compares, 2 argument checks (falls through all)");
    }

    /// <summary>r0 = sum of 0..999 in a counted loop (three instructions per iteration).</summary>
    private static BenchProgram Loop() => new("loop-1000",
    [
        Mov(0, 0),
        Mov(2, 0),
        AddX(0, 2),          // 2: loop body
        AddImm(2, 1),
        JltImm(2, 1000, -3),
        Exit(),
    ], [], "1000-iteration bounded loop (sum)");

    /// <summary>Counts into an array map and a hash map: two lookups, two atomic adds.</summary>
    private static BenchProgram MapCounter()
    {
        Instruction[] code =
        [
            LdxW(6, 1, Cb0 + 16),        // key from the context
            StxW(10, -4, 6),
            .. LdMap(1, 0),
            MovX(2, 10), AddImm(2, -4),
            Call(1),                     // map_lookup_elem(array, &key)
            JeqImm(0, 0, 2),
            Mov(7, 1),
            AtomicAdd64(0, 7),
            StxW(10, -8, 6),
            .. LdMap(1, 1),
            MovX(2, 10), AddImm(2, -8),
            Call(1),                     // map_lookup_elem(hash, &key)
            JeqImm(0, 0, 2),
            Mov(7, 1),
            AtomicAdd64(0, 7),
            Mov(0, 0),
            Exit(),
        ];
        return new("map-counter", code,
            [new MapSpec("array_counts", MapType.Array, 4, 8, 4), new MapSpec("hash_counts", MapType.Hash, 4, 8, 16)],
            "array lookup + atomic add, hash lookup + atomic add");
    }
}
