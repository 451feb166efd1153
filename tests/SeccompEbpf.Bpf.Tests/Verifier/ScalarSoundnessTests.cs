using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.Bpf.Tests.Verifier;

/// <summary>
/// Soundness of the number tracking: for random abstract values and concrete members of them,
/// every ALU result and every branch refinement must still contain the concrete outcome.
/// </summary>
public sealed class ScalarSoundnessTests
{
    private static bool Contains(ScalarValue s, ulong v) =>
        (v & ~s.Bits.Mask) == s.Bits.Value && (long)v >= s.SMin && (long)v <= s.SMax && v >= s.UMin && v <= s.UMax
        && (int)(uint)v >= s.S32Min && (int)(uint)v <= s.S32Max && (uint)v >= s.U32Min && (uint)v <= s.U32Max;

    private static ulong Interesting(Random r) => r.Next(6) switch
    {
        0 => (ulong)r.Next(0, 64),
        1 => (ulong)(long)r.Next(-64, 0),
        2 => (ulong)r.NextInt64() << r.Next(0, 40),
        3 => 0x7fffffffUL + (ulong)r.Next(-3, 3),
        4 => 0x8000000000000000UL + (ulong)r.Next(-3, 3),
        _ => (ulong)r.NextInt64() ^ ((ulong)r.Next() << 33),
    };

    /// <summary>An abstract value built from two concrete members (a range, sometimes masked), plus members of it.</summary>
    private static (ScalarValue Abstract, List<ulong> Members) RandomValue(Random r)
    {
        ulong a = Interesting(r), b = Interesting(r);
        if (r.Next(5) == 0) return (ScalarValue.Const(a), [a]);
        ScalarValue s = r.Next(3) switch
        {
            0 => (ScalarValue.Unknown with { UMin = Math.Min(a, b), UMax = Math.Max(a, b) }).Normalize(),
            1 => (ScalarValue.Unknown with { SMin = Math.Min((long)a, (long)b), SMax = Math.Max((long)a, (long)b) }).Normalize(),
            _ => (ScalarValue.Unknown with { Bits = new Tnum(a & ~b, b) }).Normalize(),
        };
        var members = new List<ulong>();
        foreach (var c in new[] { a, b, s.UMin, s.UMax, (ulong)s.SMin, (ulong)s.SMax, s.Bits.Value, s.Bits.Max })
            if (Contains(s, c)) members.Add(c);
        for (int i = 0; i < 40; i++)
        {
            ulong c = s.Bits.Value | ((ulong)r.NextInt64() & s.Bits.Mask);
            if (Contains(s, c)) members.Add(c);
            ulong span = s.UMax - s.UMin;
            ulong d = span == ulong.MaxValue ? (ulong)r.NextInt64() : s.UMin + (ulong)(r.NextDouble() * span);
            if (Contains(s, d)) members.Add(d);
        }
        return (s, members);
    }

    [Fact]
    public void AluResultsContainEveryConcreteResult()
    {
        var rng = new Random(1234);
        AluOp[] ops = [AluOp.Add, AluOp.Sub, AluOp.Mul, AluOp.And, AluOp.Or, AluOp.Xor, AluOp.Lsh, AluOp.Rsh, AluOp.Arsh, AluOp.Div, AluOp.Mod];
        for (int iter = 0; iter < 4000; iter++)
        {
            var (x, xs) = RandomValue(rng);
            var (y, ys) = RandomValue(rng);
            if (xs.Count == 0 || ys.Count == 0) continue;
            var op = ops[rng.Next(ops.Length)];
            bool is64 = rng.Next(2) == 0;
            if (op is AluOp.Lsh or AluOp.Rsh or AluOp.Arsh)
            {
                ulong k = (ulong)rng.Next(0, is64 ? 64 : 32);
                y = ScalarValue.Const(k); ys = [k];
            }
            var result = ScalarAlu.Binary(op, is64, x, y, false);
            foreach (var a in xs.Take(12))
                foreach (var b in ys.Take(6))
                {
                    ulong c = ScalarAlu.Concrete(op, is64, a, b, false);
                    Assert.True(Contains(result, c), $"{op} {(is64 ? 64 : 32)}: {a:x} op {b:x} = {c:x} not in {result} (x={x}, y={y})");
                }
        }
    }

    [Fact]
    public void BranchRefinementKeepsEveryValueThatTakesTheBranch()
    {
        var rng = new Random(99);
        JmpOp[] ops = [JmpOp.Jeq, JmpOp.Jne, JmpOp.Jgt, JmpOp.Jge, JmpOp.Jlt, JmpOp.Jle, JmpOp.Jsgt, JmpOp.Jsge, JmpOp.Jslt, JmpOp.Jsle, JmpOp.Jset];
        for (int iter = 0; iter < 4000; iter++)
        {
            var (x, xs) = RandomValue(rng);
            var (y, ys) = RandomValue(rng);
            var op = ops[rng.Next(ops.Length)];
            bool is64 = rng.Next(2) == 0;
            int decided = BranchLogic.IsTaken(op, is64, x, y);
            var (tx, ty) = BranchLogic.Refine(op, is64, x, y);
            var (fx, fy) = op == JmpOp.Jset ? (BranchLogic.RefineJsetFalse(is64, x, y), y) : BranchLogic.Refine(BranchLogic.Negate(op), is64, x, y);
            foreach (var a in xs.Take(12))
                foreach (var b in ys.Take(6))
                {
                    bool holds = Holds(op, is64, a, b);
                    if (decided >= 0) Assert.True(holds == (decided == 1), $"{op} decided {decided} but {a:x},{b:x} gives {holds}");
                    var (ra, rb) = holds ? (tx, ty) : (fx, fy);
                    Assert.True(Contains(ra, a) && Contains(rb, b), $"{op}{(is64 ? "" : "32")} {holds}: {a:x},{b:x} lost: {ra} / {rb} from {x} / {y}");
                }
        }
    }

    private static bool Holds(JmpOp op, bool is64, ulong a, ulong b)
    {
        if (!is64) { a = (uint)a; b = (uint)b; }
        long sa = is64 ? (long)a : (int)(uint)a, sb = is64 ? (long)b : (int)(uint)b;
        return op switch
        {
            JmpOp.Jeq => a == b, JmpOp.Jne => a != b, JmpOp.Jgt => a > b, JmpOp.Jge => a >= b, JmpOp.Jlt => a < b, JmpOp.Jle => a <= b,
            JmpOp.Jsgt => sa > sb, JmpOp.Jsge => sa >= sb, JmpOp.Jslt => sa < sb, JmpOp.Jsle => sa <= sb, JmpOp.Jset => (a & b) != 0,
            _ => false,
        };
    }

    [Fact]
    public void TnumRangeAndArithmeticAreSound()
    {
        var rng = new Random(7);
        for (int i = 0; i < 20000; i++)
        {
            ulong lo = Interesting(rng), hi = Interesting(rng);
            if (lo > hi) (lo, hi) = (hi, lo);
            var t = Tnum.Range(lo, hi);
            ulong v = lo + (ulong)(rng.NextDouble() * (hi - lo));
            if (v >= lo && v <= hi) Assert.True((v & ~t.Mask) == t.Value, $"{v:x} not in Range({lo:x},{hi:x}) = {t}");
        }
    }
}
