using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Engine;

/// <summary>
/// "Bad input never crashes the host": thousands of random, structurally valid programs (random
/// ALU, jumps, loads, stores and atomics around the stack and the caller's memory, wild offsets)
/// either are refused by Prepare or run to a value or an error value. Fixed seed, so failures reproduce.
/// </summary>
public class RandomProgramSafetyTests
{
    private static readonly byte[] AluOps = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0];
    private static readonly byte[] JmpOps = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];
    private static readonly MemSize[] Sizes = [MemSize.B, MemSize.H, MemSize.W, MemSize.DW];

    [Fact]
    public void RandomProgramsRunToAValueOrAnErrorValue()
    {
        var random = new Random(20260601);
        using var context = new BpfRunContext { InstructionBudget = 5_000 };
        int ran = 0, faulted = 0, refused = 0;
        for (int n = 0; n < 3000; n++)
        {
            var code = Generate(random);
            var prepared = BpfEngines.Prepare(new BpfProgram($"random-{n}", code), EngineKind.Interpreter);
            if (!prepared.IsOk) { refused++; continue; }
            var memory = new byte[32];
            var result = prepared.Value.RunWithMemory(context, memory);
            if (result.IsOk) ran++;
            else
            {
                faulted++;
                Assert.InRange(result.Error!.InstructionIndex, 0, code.Length);
            }
        }
        // The generator is meant to produce mostly runnable programs; make sure it does.
        Assert.True(ran + faulted > 2000, $"ran {ran}, faulted {faulted}, refused {refused}");
        Assert.True(faulted > 100, $"expected plenty of memory faults, got {faulted}");
    }

    private static Instruction[] Generate(Random random)
    {
        var code = new List<Instruction>();
        // Every register gets a value first (the register-initialisation check demands it); r1 keeps the memory pointer.
        for (byte r = 0; r <= 9; r++)
            if (r != 1) code.Add(new Instruction(0xb7, r, 0, 0, random.Next(-64, 64)));
        code.Add(new Instruction(0xbf, 9, 1, 0, 0));
        int body = random.Next(1, 24);
        for (int i = 0; i < body; i++)
        {
            int remaining = body - i;
            byte dst = (byte)random.Next(0, 10), src = (byte)random.Next(0, 11);
            short offset = (short)random.Next(-40, 40);
            switch (random.Next(7))
            {
                case 0: code.Add(new Instruction((byte)(0x07 | AluOps[random.Next(AluOps.Length)]), dst, 0, 0, random.Next(-100, 100))); break;
                case 1:
                    {
                        byte op = AluOps[random.Next(AluOps.Length)];
                        bool is64 = random.Next(2) == 0;
                        code.Add(new Instruction((byte)((is64 ? 0x0f : 0x0c) | op), dst, src, 0, 0));
                        break;
                    }
                case 2: code.Add(new Instruction(Opcodes.Mem(OpClass.Ldx, MemMode.Mem, Sizes[random.Next(4)]), dst, random.Next(2) == 0 ? (byte)10 : (byte)9, offset, 0)); break;
                case 3: code.Add(new Instruction(Opcodes.Mem(OpClass.Stx, MemMode.Mem, Sizes[random.Next(4)]), random.Next(2) == 0 ? (byte)10 : (byte)9, src, offset, 0)); break;
                case 4: code.Add(new Instruction(Opcodes.Mem(OpClass.St, MemMode.Mem, Sizes[random.Next(4)]), random.Next(3) == 0 ? dst : (byte)10, 0, offset, random.Next())); break;
                case 5:
                    {
                        int[] atomics = [AtomicOp.Add, AtomicOp.Or | AtomicOp.Fetch, AtomicOp.Xchg, AtomicOp.CmpXchg];
                        code.Add(new Instruction(random.Next(2) == 0 ? (byte)0xdb : (byte)0xc3, (byte)10, src, (short)(-8 * random.Next(1, 5)), atomics[random.Next(atomics.Length)]));
                        break;
                    }
                default:
                    {
                        // Forward jumps only (so programs terminate), sometimes a backward one to exercise the budget.
                        short target = random.Next(10) == 0 ? (short)-random.Next(1, Math.Max(2, i)) : (short)random.Next(0, remaining);
                        code.Add(new Instruction((byte)(0x05 | JmpOps[random.Next(JmpOps.Length)]), dst, 0, target, random.Next(-10, 10)));
                        break;
                    }
            }
        }
        code.Add(new Instruction(Opcodes.Exit, 0, 0, 0, 0));
        return code.ToArray();
    }
}
