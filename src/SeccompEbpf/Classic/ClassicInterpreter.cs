using System.Runtime.InteropServices;
using SeccompEbpf.Model;
using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Classic;

/// <summary>
/// Runs a classic seccomp filter exactly as Linux does after its classic-to-eBPF conversion:
/// 32-bit A and X start at 0, ld [k] reads a native-endian word of seccomp_data (the calling
/// ABI's byte order: big-endian for s390x, ppc64, mips, ...), #len is 64,
/// arithmetic wraps at 32 bits, a run-time division by X = 0 ends the filter with 0
/// (SECCOMP_RET_KILL_THREAD), a shift by X uses X &amp; 31 (as the kernel's interpreter and the x86
/// JIT do).
/// <para>The program should have passed <see cref="ClassicChecker"/> (or be a
/// <see cref="ClassicProgram"/>). An unchecked program that leaves the instruction array or uses an
/// opcode seccomp refuses makes <see cref="ClassicProgramException"/> be thrown; unwritten scratch
/// words read as 0.</para>
/// </summary>
public static class ClassicInterpreter
{
    public static uint Run(IReadOnlyList<ClassicInstruction> program, in SeccompData data) =>
        Run(AsSpan(program), in data, out _);

    /// <param name="executed">How many instructions ran, the return included.</param>
    public static uint Run(IReadOnlyList<ClassicInstruction> program, in SeccompData data, out int executed) =>
        Run(AsSpan(program), in data, out executed);

    public static uint Run(ReadOnlySpan<ClassicInstruction> program, in SeccompData data, out int executed)
    {
        uint a = 0, x = 0;
        Span<uint> scratch = stackalloc uint[ClassicInstruction.ScratchWords];
        scratch.Clear();
        int pc = 0;
        int count = 0; // a local, not the out parameter, so it stays in a register
        while (true)
        {
            if ((uint)pc >= (uint)program.Length)
                throw new ClassicProgramException(pc, "execution ran past the last instruction (the program was not checked)");
            var ins = program[pc];
            count++;
            pc++;
            switch (ins.Code)
            {
                case RetK: { executed = count; return ins.K; }
                case RetA: { executed = count; return a; }

                case LdImm: a = ins.K; break;
                case LdxImm: x = ins.K; break;
                case LdLen: a = SeccompData.Size; break;
                case LdxLen: x = SeccompData.Size; break;
                case LdAbsW: a = LoadWord(in data, ins.K, pc - 1); break;
                case LdMem: a = scratch[ScratchIndex(ins, pc - 1)]; break;
                case LdxMem: x = scratch[ScratchIndex(ins, pc - 1)]; break;
                case St: scratch[ScratchIndex(ins, pc - 1)] = a; break;
                case Stx: scratch[ScratchIndex(ins, pc - 1)] = x; break;
                case Tax: x = a; break;
                case Txa: a = x; break;

                case AddK: a += ins.K; break;
                case AddX: a += x; break;
                case SubK: a -= ins.K; break;
                case SubX: a -= x; break;
                case MulK: a *= ins.K; break;
                case MulX: a *= x; break;
                case DivK: if (ins.K == 0) { executed = count; return 0; } a /= ins.K; break;
                case DivX: if (x == 0) { executed = count; return 0; } a /= x; break;
                case ModK: if (ins.K == 0) { executed = count; return 0; } a %= ins.K; break;
                case ModX: if (x == 0) { executed = count; return 0; } a %= x; break;
                case OrK: a |= ins.K; break;
                case OrX: a |= x; break;
                case AndK: a &= ins.K; break;
                case AndX: a &= x; break;
                case XorK: a ^= ins.K; break;
                case XorX: a ^= x; break;
                case LshK: a <<= (int)(ins.K & 31); break;
                case LshX: a <<= (int)(x & 31); break;
                case RshK: a >>= (int)(ins.K & 31); break;
                case RshX: a >>= (int)(x & 31); break;
                case Neg: a = 0u - a; break;

                case Ja: pc += (int)ins.K; break;
                case JeqK: pc += a == ins.K ? ins.Jt : ins.Jf; break;
                case JeqX: pc += a == x ? ins.Jt : ins.Jf; break;
                case JgtK: pc += a > ins.K ? ins.Jt : ins.Jf; break;
                case JgtX: pc += a > x ? ins.Jt : ins.Jf; break;
                case JgeK: pc += a >= ins.K ? ins.Jt : ins.Jf; break;
                case JgeX: pc += a >= x ? ins.Jt : ins.Jf; break;
                case JsetK: pc += (a & ins.K) != 0 ? ins.Jt : ins.Jf; break;
                case JsetX: pc += (a & x) != 0 ? ins.Jt : ins.Jf; break;

                default:
                    throw new ClassicProgramException(pc - 1, $"opcode 0x{ins.Code:x2} is not allowed in seccomp filters (the program was not checked)");
            }
        }
    }

    /// <summary>
    /// The 32-bit word of seccomp_data at byte offset <paramref name="offset"/>, as the kernel of the
    /// calling ABI lays it out: arguments are native 64-bit words, so on a big-endian ABI
    /// (<see cref="AuditArch.IsBigEndian"/>) an argument's first word is its high half.
    /// </summary>
    public static uint LoadWord(in SeccompData data, uint offset, int pc = -1)
    {
        if (offset >= SeccompData.Size || (offset & 3) != 0)
            throw new ClassicProgramException(pc, $"ld [{offset}] is not an aligned 32-bit word of seccomp_data (the program was not checked)");
        switch (offset)
        {
            case SeccompData.NrOffset: return (uint)data.Nr;
            case SeccompData.ArchOffset: return data.Arch;
            case SeccompData.InstructionPointerOffset: return (uint)data.InstructionPointer;
            case SeccompData.InstructionPointerOffset + 4: return (uint)(data.InstructionPointer >> 32);
        }
        int rel = (int)offset - SeccompData.ArgsOffset;
        ulong arg = data.Args[rel >> 3];
        bool lowHalf = ((rel & 4) == 0) != AuditArch.IsBigEndian(data.Arch);
        return lowHalf ? (uint)arg : (uint)(arg >> 32);
    }

    private static int ScratchIndex(ClassicInstruction ins, int pc) =>
        ins.K < ClassicInstruction.ScratchWords
            ? (int)ins.K
            : throw new ClassicProgramException(pc, $"scratch index M[{ins.K}] out of range (the program was not checked)");

    private static ReadOnlySpan<ClassicInstruction> AsSpan(IReadOnlyList<ClassicInstruction> program) => program switch
    {
        ClassicInstruction[] array => array,
        List<ClassicInstruction> list => CollectionsMarshal.AsSpan(list),
        _ => program.ToArray(),
    };
}
