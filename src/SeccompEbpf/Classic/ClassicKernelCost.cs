using static SeccompEbpf.Classic.ClassicOpcodes;

namespace SeccompEbpf.Classic;

/// <summary>
/// How many eBPF instructions the kernel's classic-to-eBPF conversion makes of a checked seccomp
/// filter. The kernel's 32,768-instruction limit per thread (MAX_INSNS_PER_PATH) counts these
/// converted lengths, not the classic ones (checked against the running kernel in the tests).
/// </summary>
public static class ClassicKernelCost
{
    /// <summary>Clear A, clear X, keep the context pointer.</summary>
    public const int PrologueLength = 3;

    public static int ConvertedLength(ClassicProgram program)
    {
        int total = PrologueLength;
        foreach (var ins in program.AsSpan()) total += ConvertedLength(ins);
        return total;
    }

    public static int ConvertedLength(ClassicInstruction ins) => ins.Code switch
    {
        RetK => 2,                          // mov r0, k; exit
        DivX or ModX => 5,                  // zero-extend X, test it, return 0 if zero, divide
        _ when IsConditionalJump(ins.Code) => ConditionalLength(ins),
        _ => 1,
    };

    private static int ConditionalLength(ClassicInstruction ins)
    {
        // A constant with the top bit set is first moved to a register (eBPF immediates are signed).
        int widen = (ins.Code & 0x08) == 0 && (int)ins.K < 0 ? 1 : 0;
        if (ins.Jf == 0) return widen + 1;
        // Only jeq, jgt and jge have an eBPF opposite that saves the extra ja.
        bool invertible = (ins.Code & 0xf0) != ClassicInstruction.Jset;
        return widen + (ins.Jt == 0 && invertible ? 1 : 2);
    }
}
