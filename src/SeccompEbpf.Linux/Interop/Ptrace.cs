using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Interop;

/// <summary>
/// ptrace(2) through the raw system call (glibc's wrapper is variadic), x86_64 only, with the
/// registers of struct user_regs_struct (arch/x86/include/asm/user_64.h) by index.
/// </summary>
internal static unsafe class Ptrace
{
    private const long PtraceNumber = 101; // x86_64

    public const int PTRACE_PEEKDATA = 2, PTRACE_POKEDATA = 5, PTRACE_CONT = 7, PTRACE_GETREGS = 12, PTRACE_SETREGS = 13,
        PTRACE_DETACH = 17, PTRACE_SYSCALL = 24, PTRACE_SEIZE = 0x4206, PTRACE_INTERRUPT = 0x4207;
    public const long PTRACE_O_TRACESYSGOOD = 1, PTRACE_O_EXITKILL = 1L << 20;
    public const int PTRACE_EVENT_STOP = 128;
    public const int __WALL = 0x40000000;

    /// <summary>The x86_64 user_regs_struct: 27 unsigned longs.</summary>
    public const int RegisterCount = 27;
    public const int R10 = 7, R9 = 8, R8 = 9, Rax = 10, Rdx = 12, Rsi = 13, Rdi = 14, OrigRax = 15, Rip = 16, Cs = 17, Rsp = 19;
    /// <summary>The code segment of 64-bit user code (__USER_CS); 32-bit code runs with 0x23.</summary>
    public const ulong UserCs64 = 0x33;

    public static bool Supported => RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static long Call(int request, int tid, ulong address, ulong data) =>
        LibC.Syscall(PtraceNumber, request, tid, (long)address, (long)data);

    public static bool GetRegisters(int tid, ulong* registers) => Call(PTRACE_GETREGS, tid, 0, (ulong)registers) == 0;

    public static bool SetRegisters(int tid, ulong* registers) => Call(PTRACE_SETREGS, tid, 0, (ulong)registers) == 0;

    /// <summary>The word at <paramref name="address"/> (the raw call stores it at data).</summary>
    public static bool Peek(int tid, ulong address, out ulong word)
    {
        ulong value = 0;
        var ok = Call(PTRACE_PEEKDATA, tid, address, (ulong)&value) == 0;
        word = value;
        return ok;
    }

    public static bool Poke(int tid, ulong address, ulong word) => Call(PTRACE_POKEDATA, tid, address, word) == 0;
}
