using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Jit;

/// <summary>
/// Generates random programs that pass <see cref="ProgramChecks"/>: r0 and r6..r9 initialised up
/// front (r1..r5 are the run's random arguments), then 8-24 "units" of random ALU (all ops incl. div/mod/shifts/byte swaps/movsx, 32 and
/// 64 bit), forward jumps of every kind to unit boundaries, stack loads/stores/atomics (rarely out
/// of bounds or misaligned, to exercise faults), calls to deterministic helpers and a map lookup
/// followed by an atomic add on the value. A unit is never entered in its middle, so the
/// register-initialisation check always holds.
/// </summary>
internal sealed class RandomProgramGenerator(Random random)
{
    private static readonly AluOp[] AluOps =
        [AluOp.Add, AluOp.Sub, AluOp.Mul, AluOp.Div, AluOp.Or, AluOp.And, AluOp.Lsh, AluOp.Rsh, AluOp.Neg, AluOp.Mod, AluOp.Xor, AluOp.Mov, AluOp.Arsh, AluOp.End];
    private static readonly JmpOp[] ConditionalJumps =
        [JmpOp.Jeq, JmpOp.Jgt, JmpOp.Jge, JmpOp.Jset, JmpOp.Jne, JmpOp.Jsgt, JmpOp.Jsge, JmpOp.Jlt, JmpOp.Jle, JmpOp.Jslt, JmpOp.Jsle];
    private static readonly int[] AtomicOps =
        [AtomicOp.Add, AtomicOp.Or, AtomicOp.And, AtomicOp.Xor, AtomicOp.Add | AtomicOp.Fetch, AtomicOp.Or | AtomicOp.Fetch,
         AtomicOp.And | AtomicOp.Fetch, AtomicOp.Xor | AtomicOp.Fetch, AtomicOp.Xchg, AtomicOp.CmpXchg];
    private static readonly int[] Interesting = [0, 1, -1, 2, 7, 8, 16, 31, 32, 63, 64, int.MinValue, int.MaxValue, 255, -256, 0x10000];

    /// <summary>Map index 0 of every generated program: an array map of 4 entries with 8-byte values.</summary>
    public const int MapEntries = 4;

    private readonly List<Instruction[]> _units = new();
    // Pending forward jumps: (unit index of the jump, target unit index).
    private readonly List<(int Unit, int Target)> _jumps = new();

    public Instruction[] Next()
    {
        _units.Clear();
        _jumps.Clear();
        foreach (byte r in (byte[])[0, 6, 7, 8, 9]) _units.Add(InitialValue(r));
        int bodyUnits = random.Next(8, 25);
        int bodyStart = _units.Count;
        for (int k = 0; k < bodyUnits; k++) _units.Add(NextUnit(bodyStart + bodyUnits));
        _units.Add([new Instruction(Opcodes.Exit, 0, 0, 0, 0)]);
        return Link();
    }

    /// <summary>Resolves jump units (their target is a unit index) to slot offsets.</summary>
    private Instruction[] Link()
    {
        var start = new int[_units.Count + 1];
        for (int u = 0; u < _units.Count; u++) start[u + 1] = start[u] + _units[u].Length;
        foreach (var (unit, target) in _jumps)
        {
            var jump = _units[unit][0];
            int offset = start[target] - (start[unit] + 1);
            _units[unit][0] = jump.Opcode == Opcodes.Ja32 ? jump with { Imm = offset } : jump with { Offset = (short)offset };
        }
        return _units.SelectMany(u => u).ToArray();
    }

    /// <summary>Random values for r1..r5 at the start of a run.</summary>
    public ulong NextArgument() => random.Next(3) == 0 ? (ulong)(long)Interesting[random.Next(Interesting.Length)] : (ulong)random.NextInt64() << random.Next(2);

    private Instruction[] InitialValue(byte r) => random.Next(3) == 0
        ? I64(r, (ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 1))
        : [new Instruction(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), r, 0, 0, Imm())];

    private Instruction[] NextUnit(int exitUnit)
    {
        int roll = random.Next(100);
        if (roll < 46) return [Alu()];
        if (roll < 62) return [Jump(exitUnit)];
        if (roll < 74) return [Store()];
        if (roll < 85) return [Load()];
        if (roll < 91) return [Atomic()];
        if (roll < 95) return I64(Reg(), (ulong)random.NextInt64());
        if (roll < 98) return HelperCall();
        return MapUpdate();
    }

    private int Imm() => random.Next(3) == 0 ? Interesting[random.Next(Interesting.Length)] : random.Next(4) == 0 ? random.Next() - random.Next() : random.Next(-100, 100);
    private byte Reg() => (byte)random.Next(10);
    private byte AnyReg() => (byte)random.Next(11);

    private Instruction Alu()
    {
        bool is64 = random.Next(2) == 0;
        var op = AluOps[random.Next(AluOps.Length)];
        var cls = is64 ? OpClass.Alu64 : OpClass.Alu;
        byte dst = Reg();
        switch (op)
        {
            case AluOp.Neg: return new(Opcodes.Alu(cls, op, false), dst, 0, 0, 0);
            case AluOp.End:
                {
                    int width = new[] { 16, 32, 64 }[random.Next(3)];
                    bool toBig = !is64 && random.Next(2) == 0;
                    return new(Opcodes.Alu(cls, op, toBig), dst, 0, 0, width);
                }
        }
        bool x = random.Next(2) == 0;
        short off = 0;
        if (op is AluOp.Div or AluOp.Mod) off = (short)random.Next(2);
        if (op == AluOp.Mov && x && random.Next(3) == 0) off = (short)(is64 ? new[] { 8, 16, 32 }[random.Next(3)] : new[] { 8, 16 }[random.Next(2)]);
        return x ? new(Opcodes.Alu(cls, op, true), dst, AnyReg(), off, 0) : new(Opcodes.Alu(cls, op, false), dst, 0, off, Imm());
    }

    private Instruction Jump(int exitUnit)
    {
        int here = _units.Count;
        int target = random.Next(here + 1, exitUnit + 1); // forward, to a unit boundary or the exit
        _jumps.Add((here, target));
        int kind = random.Next(12);
        if (kind == 0) return new(Opcodes.Ja, 0, 0, 0, 0);
        if (kind == 1) return new(Opcodes.Ja32, 0, 0, 0, 0);
        var cls = random.Next(2) == 0 ? OpClass.Jmp : OpClass.Jmp32;
        var op = ConditionalJumps[random.Next(ConditionalJumps.Length)];
        return random.Next(2) == 0
            ? new(Opcodes.Jump(cls, op, true), AnyReg(), AnyReg(), 0, 0)
            : new(Opcodes.Jump(cls, op, false), AnyReg(), 0, 0, Imm());
    }

    private static readonly MemSize[] Sizes = [MemSize.B, MemSize.H, MemSize.W, MemSize.DW];

    /// <summary>An offset from r10 inside frame 0, or (1 in 50) just outside the stack.</summary>
    private short StackOffset(int size, int alignment)
    {
        if (random.Next(50) == 0) return (short)(random.Next(2) == 0 ? random.Next(-size + 1, 8) : -4096 - random.Next(1, 16));
        int slot = random.Next(1, 512 / alignment + 1);
        return (short)(-slot * alignment + (alignment == 1 ? 0 : 0));
    }

    private Instruction Store()
    {
        var size = Sizes[random.Next(4)];
        int bytes = size.Bytes();
        short off = StackOffset(bytes, random.Next(4) == 0 ? 1 : bytes);
        return random.Next(2) == 0
            ? new(Opcodes.Mem(OpClass.St, MemMode.Mem, size), 10, 0, off, Imm())
            : new(Opcodes.Mem(OpClass.Stx, MemMode.Mem, size), 10, AnyReg(), off, 0);
    }

    private Instruction Load()
    {
        var size = Sizes[random.Next(4)];
        int bytes = size.Bytes();
        var mode = size != MemSize.DW && random.Next(3) == 0 ? MemMode.MemSx : MemMode.Mem;
        return new(Opcodes.Mem(OpClass.Ldx, mode, size), Reg(), 10, StackOffset(bytes, random.Next(4) == 0 ? 1 : bytes), 0);
    }

    private Instruction Atomic()
    {
        var size = random.Next(2) == 0 ? MemSize.W : MemSize.DW;
        int bytes = size.Bytes();
        short off = StackOffset(bytes, random.Next(30) == 0 ? 1 : bytes);
        return new(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, size), 10, Reg(), off, AtomicOps[random.Next(AtomicOps.Length)]);
    }

    private Instruction[] I64(byte dst, ulong value)
    {
        var (lo, hi) = Instruction.LoadImm64(dst, value);
        return [lo, hi];
    }

    /// <summary>A call to a deterministic helper (prandom with a fixed seed, a fixed clock), then r1..r5 set again (a call clobbers them).</summary>
    private Instruction[] HelperCall()
    {
        int id = random.Next(2) == 0 ? HelperIds.GetPrandomU32 : HelperIds.KtimeGetNs;
        var unit = new List<Instruction> { new(Opcodes.Call, 0, CallSource.Helper, 0, id) };
        for (byte r = 1; r <= 5; r++) unit.Add(new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), r, 0, 0, Imm()));
        return unit.ToArray();
    }

    /// <summary>key = random (sometimes past the end) on the stack; r0 = lookup(map 0, &amp;key); if found, atomic add to the value.</summary>
    private Instruction[] MapUpdate()
    {
        byte addend = (byte)random.Next(6, 10);
        var (mapLo, mapHi) = Instruction.LoadImm64(1, 0, LoadImmSource.MapIdx);
        var unit = new List<Instruction>
        {
            new(Opcodes.Mem(OpClass.St, MemMode.Mem, MemSize.W), 10, 0, -4, random.Next(MapEntries + 1)),
            mapLo, mapHi,
            new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, true), 2, 10, 0, 0),
            new(Opcodes.Alu(OpClass.Alu64, AluOp.Add, false), 2, 0, 0, -4),
            new(Opcodes.Call, 0, CallSource.Helper, 0, HelperIds.MapLookupElem),
            new(Opcodes.Jump(OpClass.Jmp, JmpOp.Jeq, false), 0, 0, 1, 0),
            new(Opcodes.Mem(OpClass.Stx, MemMode.Atomic, MemSize.DW), 0, addend, 0, random.Next(2) == 0 ? AtomicOp.Add : AtomicOp.Add | AtomicOp.Fetch),
        };
        for (byte r = 1; r <= 5; r++) unit.Add(new(Opcodes.Alu(OpClass.Alu64, AluOp.Mov, false), r, 0, 0, Imm()));
        return unit.ToArray();
    }
}
