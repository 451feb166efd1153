using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Tests.Classic;

/// <summary>
/// Random classic seccomp filters that are valid and safe to install in this very process: a
/// guard sends every system call outside [MinNr, MaxNr] to ALLOW (so the runtime's own calls
/// pass), and the body only returns ERRNO, ALLOW, LOG, TRACE or USER_NOTIF (never a kill or a
/// trap, and never divides by an X that may be 0). Bodies use nr, arch, both halves of every
/// argument, all ALU operations, scratch memory and every jump type. Shared by the offline
/// tests and the differential test against the running kernel.
/// </summary>
/// <remarks>With <c>kernelSafe: false</c> bodies may also divide by any X, return any A and read
/// the instruction pointer: still valid filters, for offline comparisons only.</remarks>
public sealed class RandomClassicFilters(Random rng, int minNr, int maxNr, uint arch, bool kernelSafe = true)
{
    public const int GuardLength = 4;

    private static readonly ushort[] AluK = [AddK, SubK, MulK, DivK, OrK, AndK, XorK, LshK, RshK];
    private static readonly ushort[] AluX = [AddX, SubX, MulX, OrX, AndX, XorX, LshX, RshX, Neg];
    private static readonly ushort[] Conditional = [JeqK, JeqX, JgtK, JgtX, JgeK, JgeX, JsetK, JsetX];
    private static readonly uint[] SafeActions = [SeccompAction.Allow, SeccompAction.Log, SeccompAction.Trace, SeccompAction.UserNotif];

    private readonly uint[] _pool = MakePool(rng, minNr, maxNr);

    /// <summary>The interesting 32-bit values this generator uses in both filters and inputs, so comparisons hit.</summary>
    public IReadOnlyList<uint> Pool => _pool;

    /// <summary>A fresh pool, so a new filter meets new constants.</summary>
    public RandomClassicFilters Next() => new(rng, minNr, maxNr, arch, kernelSafe);

    public ClassicInstruction[] Guard() =>
    [
        ClassicInstruction.Stmt(LdAbsW, SeccompData.NrOffset),
        ClassicInstruction.Jump(JgeK, (uint)minNr, 0, 1),
        ClassicInstruction.Jump(JgtK, (uint)maxNr, 0, 1),
        ClassicInstruction.Stmt(RetK, SeccompAction.Allow),
    ];

    /// <summary>Guard + random body; <paramref name="maxUnits"/> bounds the body size.</summary>
    public ClassicInstruction[] Filter(int maxUnits = 24)
    {
        var units = new List<Unit>();
        var initialised = new List<uint>();
        foreach (var slot in Enumerable.Range(0, ClassicInstruction.ScratchWords).Where(_ => rng.Next(4) == 0))
        {
            units.Add(new Unit([rng.Next(2) == 0 ? S(LdAbsW, DataOffset()) : S(LdImm, Value()), S(St, (uint)slot)]));
            initialised.Add((uint)slot);
        }
        int bodyUnits = rng.Next(1, maxUnits);
        for (int i = 0; i < bodyUnits; i++)
            units.Add(RandomUnit(initialised));
        units.Add(ReturnUnit());
        return [.. Guard(), .. Layout(units)];
    }

    /// <summary>A random input in the guarded range whose words often equal pool values.</summary>
    public SeccompData Input()
    {
        int nr = rng.Next(3) == 0 ? (int)_pool[rng.Next(3)] : rng.Next(minNr, maxNr + 1);
        var args = new SeccompArgs();
        for (int i = 0; i < 6; i++) args[i] = ((ulong)Word() << 32) | Word();
        ulong ip = kernelSafe ? 0 : ((ulong)Word() << 32) | Word();
        return new SeccompData(nr, arch, ip, args);
    }

    private uint Word() => rng.Next(4) switch
    {
        0 => (uint)rng.NextInt64(0, 1L << 32),
        1 => (uint)rng.Next(0, 8),
        _ => _pool[rng.Next(_pool.Length)],
    };

    private static uint[] MakePool(Random rng, int minNr, int maxNr)
    {
        // The first three are syscall numbers in range, so nr comparisons hit.
        var pool = new uint[10];
        for (int i = 0; i < 3; i++) pool[i] = (uint)rng.Next(minNr, maxNr + 1);
        uint[] edges = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0xc000003e];
        for (int i = 3; i < pool.Length; i++)
            pool[i] = rng.Next(2) == 0 ? edges[rng.Next(edges.Length)] : (uint)rng.NextInt64(0, 1L << 32);
        return pool;
    }

    private uint Value() => rng.Next(3) == 0 ? (uint)rng.NextInt64(0, 1L << 32) : _pool[rng.Next(_pool.Length)];

    // nr, arch and every argument half; never the instruction pointer (unknown in a real call).
    private uint DataOffset() => rng.Next(kernelSafe ? 8 : 9) switch
    {
        8 => SeccompData.InstructionPointerOffset + 4 * (uint)rng.Next(2),
        0 => SeccompData.NrOffset,
        1 => SeccompData.ArchOffset,
        _ => (uint)(SeccompData.ArgsOffset + 4 * rng.Next(12)),
    };

    private Unit RandomUnit(List<uint> initialised)
    {
        switch (rng.Next(15))
        {
            case 0: case 1: return new Unit([S(LdAbsW, DataOffset())]);
            case 2:
                return new Unit([rng.Next(4) switch { 0 => S(LdImm, Value()), 1 => S(LdxImm, Value()), 2 => S(LdLen), _ => S(LdxLen) }]);
            case 3: return new Unit([S(rng.Next(2) == 0 ? Tax : Txa)]);
            case 4:
            {
                var op = AluK[rng.Next(AluK.Length)];
                uint k = op switch
                {
                    DivK => (uint)rng.NextInt64(1, 1L << 32) >> rng.Next(32) | 1,
                    LshK or RshK => (uint)rng.Next(32),
                    _ => Value(),
                };
                return new Unit([S(op, k)]);
            }
            case 5: return new Unit([S(AluX[rng.Next(AluX.Length)])]);
            case 6 when !kernelSafe && rng.Next(2) == 0: return new Unit([S(DivX)]);
            case 6:
                // Divide by X made odd (never 0), keeping A: uses M[15] as a temporary.
                return new Unit([S(St, 15), S(Txa), S(OrK, 1), S(Tax), S(LdMem, 15), S(DivX)]);
            case 7: return new Unit([S(rng.Next(2) == 0 ? St : Stx, (uint)rng.Next(ClassicInstruction.ScratchWords))]);
            case 8 when initialised.Count > 0:
                return new Unit([S(rng.Next(2) == 0 ? LdMem : LdxMem, initialised[rng.Next(initialised.Count)])]);
            case 9: return new Unit([S(Ja)], JumpKind.Always);
            case 10: case 11: case 12:
                return new Unit([ClassicInstruction.Jump(Conditional[rng.Next(Conditional.Length)], Value(), 0, 0)], JumpKind.Conditional);
            case 13: return ReturnUnit();
            default: return new Unit([S(LdAbsW, DataOffset())]);
        }
    }

    private Unit ReturnUnit()
    {
        if (!kernelSafe && rng.Next(4) == 0) return new Unit([S(RetA)]);
        if (rng.Next(3) == 0)
        {
            // ret a with A forced into a safe action whose data comes from the computation.
            uint mask = rng.Next(3) switch { 0 => 0x3f, 1 => 0xfff, _ => 0xffff };
            uint action = rng.Next(4) == 0 ? SafeActions[rng.Next(SafeActions.Length)] : SeccompAction.Errno;
            return new Unit([S(AndK, mask), S(OrK, action), S(RetA)]);
        }
        uint value = rng.Next(4) == 0
            ? SafeActions[rng.Next(SafeActions.Length)] | (uint)rng.Next(0x10000)
            : SeccompAction.Errno | (uint)(rng.Next(8) == 0 ? rng.Next(0x10000) : rng.Next(1, 200));
        return new Unit([S(RetK, value)]);
    }

    // Jumps go forward to the start of a later unit, never into the middle of one.
    private List<ClassicInstruction> Layout(List<Unit> units)
    {
        var starts = new int[units.Count];
        for (int i = 1; i < units.Count; i++) starts[i] = starts[i - 1] + units[i - 1].Code.Length;
        var code = new List<ClassicInstruction>();
        for (int u = 0; u < units.Count; u++)
        {
            var unit = units[u];
            if (unit.Jump == JumpKind.None || u == units.Count - 1)
            {
                code.AddRange(unit.Code);
                continue;
            }
            int pc = starts[u];
            int Target() => starts[rng.Next(u + 1, units.Count)] - (pc + 1);
            var ins = unit.Code[0];
            code.Add(unit.Jump == JumpKind.Always
                ? ins with { K = (uint)Target() }
                : ins with { Jt = (byte)Target(), Jf = (byte)Target() });
        }
        return code;
    }

    private static ClassicInstruction S(ushort code, uint k = 0) => ClassicInstruction.Stmt(code, k);

    private enum JumpKind { None, Always, Conditional }

    private sealed record Unit(ClassicInstruction[] Code, JumpKind Jump = JumpKind.None);
}
