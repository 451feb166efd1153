using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Asm;

/// <summary>
/// Random instructions for property tests. Every opcode the validator accepts with some field
/// values is reachable; fields are drawn from distributions that favour the values that
/// matter (zero, 8/16/32/64, atomic codes, extremes), then filtered by the validator.
/// </summary>
internal sealed class RandomInstructions(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly short[] SpecialOffsets = [0, 1, 8, 16, 32, -1, short.MinValue, short.MaxValue];
    private static readonly int[] SpecialImms =
    [
        0, 1, 16, 32, 64, -1, int.MinValue, int.MaxValue, 9, 10, 0xffff,
        AtomicOp.Add, AtomicOp.Or, AtomicOp.And, AtomicOp.Xor, AtomicOp.Add | AtomicOp.Fetch, AtomicOp.Or | AtomicOp.Fetch,
        AtomicOp.And | AtomicOp.Fetch, AtomicOp.Xor | AtomicOp.Fetch, AtomicOp.Xchg, AtomicOp.CmpXchg,
    ];

    /// <summary>Opcodes for which the validator accepts at least one instruction (found by sampling once).</summary>
    public static readonly byte[] ValidOpcodes = FindValidOpcodes();

    /// <summary>One valid instruction: one slot, or two for lddw.</summary>
    public Instruction[] NextValid()
    {
        var opcode = ValidOpcodes[_random.Next(ValidOpcodes.Length)];
        while (true)
        {
            var candidate = Candidate(opcode);
            if (InstructionValidator.Check(candidate[0], candidate.Length > 1 ? candidate[1] : null) is null) return candidate;
        }
    }

    /// <summary>A random program mixing valid instructions with arbitrary slots.</summary>
    public Instruction[] NextProgram(int length)
    {
        var program = new List<Instruction>();
        while (program.Count < length)
            program.AddRange(_random.Next(4) == 0 ? [Arbitrary()] : NextValid());
        return program.ToArray();
    }

    public Instruction Arbitrary()
    {
        Span<byte> slot = stackalloc byte[8];
        _random.NextBytes(slot);
        return InstructionCodec.Decode(slot);
    }

    private Instruction[] Candidate(byte opcode)
    {
        var insn = new Instruction(opcode, Register(), Register(), Offset(), Imm());
        if (opcode != Opcodes.LdDw) return [insn];
        return [insn with { Offset = 0, Src = (byte)_random.Next(7) }, new Instruction(0, 0, 0, 0, _random.Next(2) == 0 ? 0 : Imm())];
    }

    private byte Register() => _random.Next(2) == 0 ? (byte)0 : (byte)_random.Next(11);

    private short Offset() => _random.Next(3) switch
    {
        0 => 0,
        1 => SpecialOffsets[_random.Next(SpecialOffsets.Length)],
        _ => (short)_random.Next(short.MinValue, short.MaxValue + 1),
    };

    private int Imm() => _random.Next(3) switch
    {
        0 => 0,
        1 => SpecialImms[_random.Next(SpecialImms.Length)],
        _ => _random.Next(int.MinValue, int.MaxValue),
    };

    private static byte[] FindValidOpcodes()
    {
        var sampler = new RandomInstructions(12345);
        var valid = new List<byte>();
        for (int opcode = 0; opcode < 256; opcode++)
            for (int attempt = 0; attempt < 400; attempt++)
            {
                var c = sampler.Candidate((byte)opcode);
                if (InstructionValidator.Check(c[0], c.Length > 1 ? c[1] : null) is null)
                {
                    valid.Add((byte)opcode);
                    break;
                }
            }
        return valid.ToArray();
    }
}
