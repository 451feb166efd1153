using System.Buffers.Binary;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.Ptrace;

namespace SeccompEbpf.Linux.Injection;

/// <summary>
/// Makes a running process install one more seccomp filter on all its threads, as CRIU runs its
/// parasite code: PTRACE_SEIZE + PTRACE_INTERRUPT one thread, save its registers, write the filter
/// below its stack pointer, point it at a `syscall` instruction with the registers of
/// seccomp(SECCOMP_SET_MODE_FILTER, TSYNC, &amp;prog), run exactly that call (PTRACE_SYSCALL to its exit),
/// restore the registers and detach. The call carries the sandbox's injection cookie in its unused
/// argument registers, which the policy's kernel filter lets through and nothing else does.
/// Runs in a helper process (see <see cref="InjectorProcess"/>): a tracer in the supervisor itself would
/// share a thread group with the command's parent, whose waitpid would then see the ptrace stops.
/// x86_64, 64-bit code only; anything unexpected ends the injection and leaves the process as it was.
/// </summary>
internal static unsafe class FilterInjector
{
    private const int SeccompNumber = 317, RestartSyscallNumber = 219; // x86_64
    private const ulong SetModeFilter = 1, FilterFlagTsync = 1;
    private const int RedZone = 128;
    private const int SIGTRAP = 5, SyscallTrap = SIGTRAP | 0x80;
    private const long ERESTARTSYS = -512, ERESTARTNOINTR = -513, ERESTARTNOHAND = -514, ERESTART_RESTARTBLOCK = -516;
    private const int MaxSignalRetries = 8;

    /// <summary>Installs <paramref name="filter"/> (sock_filter bytes) in the process <paramref name="tgid"/>. Null on success, else why not.</summary>
    public static string? Inject(int tgid, ReadOnlySpan<byte> filter, InjectionCookie cookie)
    {
        if (!Supported) return "stacking a filter into a running process is implemented for x86_64 only";
        if (filter.Length == 0 || filter.Length % 8 != 0) return "the filter to stack is empty or not whole sock_filter entries";
        if (ProcessFilters.Count(tgid) is not { } before) return $"process {tgid} is gone";
        var tid = ProcessFilters.RunnableThread(tgid);
        if (tid is null) return $"process {tgid} has no thread that can be stopped now (stopped by job control, or exiting)";

        if (Call(PTRACE_SEIZE, tid.Value, 0, (ulong)(PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD)) != 0)
            return $"PTRACE_SEIZE {tid}: {LibC.ErrnoMessage(LibC.LastErrno)} (already traced, e.g. by gdb or strace, or not ours to trace)";
        int deferredSignal = 0;
        string? error;
        try
        {
            error = StopCleanly(tid.Value, ref deferredSignal) ?? RunSeccompCall(tid.Value, filter, cookie, ref deferredSignal);
        }
        finally
        {
            Call(PTRACE_DETACH, tid.Value, 0, 0);
            // A signal that arrived while we held the thread was kept from its handler (it would have run
            // on our registers): send it again now (its siginfo becomes a tgkill's).
            if (deferredSignal != 0) LibC.TgKill(tgid, tid.Value, deferredSignal);
        }
        if (error is not null) return error;
        return ProcessFilters.Count(tgid) is { } after && after == before + 1
            ? null
            : $"process {tgid}: seccomp() succeeded but /proc/{tgid}/status does not show one more filter";
    }

    /// <summary>Interrupts the thread and waits for a ptrace-stop in which registers can be changed safely.</summary>
    private static string? StopCleanly(int tid, ref int deferredSignal)
    {
        for (int attempt = 0; attempt < MaxSignalRetries; attempt++)
        {
            if (Call(PTRACE_INTERRUPT, tid, 0, 0) != 0) return $"PTRACE_INTERRUPT {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}";
            var stop = WaitForStop(tid);
            if (stop.Error is not null) return stop.Error;
            if (stop.Event == PTRACE_EVENT_STOP && stop.Signal == SIGTRAP) return null; // the interrupt itself
            if (stop.Event == PTRACE_EVENT_STOP) return $"thread {tid} is being stopped by job control; not now";
            // A signal-delivery-stop came first: let that signal go through, then interrupt again.
            if (Call(PTRACE_CONT, tid, 0, (ulong)stop.Signal) != 0) return $"PTRACE_CONT {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}";
        }
        return $"thread {tid} kept receiving signals; not now";
    }

    private static string? RunSeccompCall(int tid, ReadOnlySpan<byte> filter, InjectionCookie cookie, ref int deferredSignal)
    {
        ulong* saved = stackalloc ulong[RegisterCount];
        ulong* call = stackalloc ulong[RegisterCount];
        if (!GetRegisters(tid, saved)) return $"PTRACE_GETREGS {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}";
        if (saved[Cs] != UserCs64) return $"thread {tid} runs 32-bit code; stacking is implemented for 64-bit processes";

        var syscallAt = SyscallInstruction(tid, saved);
        if (syscallAt is null) return $"no syscall instruction found in thread {tid} (not stopped in a call, and no vDSO)";
        CompleteRestart(saved);

        // struct sock_fprog (u16 len, pad, u64 filter) and the filter, below the red zone, 16-aligned.
        var size = 16 + filter.Length;
        var at = (saved[Rsp] - RedZone - (ulong)size) & ~15ul;
        if (!ProcessFilters.IsWritableStack(tid, at, saved[Rsp])) return $"thread {tid}'s stack has no room for a {size}-byte filter below its stack pointer";
        var image = new byte[size];
        BinaryPrimitives.WriteUInt16LittleEndian(image, (ushort)(filter.Length / 8));
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(8), at + 16);
        filter.CopyTo(image.AsSpan(16));
        if (WriteMemory(tid, at, image) is { } writeError) return writeError;

        new Span<ulong>(saved, RegisterCount).CopyTo(new Span<ulong>(call, RegisterCount));
        call[Rax] = SeccompNumber;
        call[OrigRax] = ulong.MaxValue; // no call in progress: the kernel must not restart anything on our registers
        call[Rdi] = SetModeFilter;
        call[Rsi] = FilterFlagTsync;
        call[Rdx] = at;
        call[R10] = cookie.First;
        call[R8] = cookie.Second;
        call[R9] = 0;
        call[Rip] = syscallAt.Value;
        if (!SetRegisters(tid, call)) return $"PTRACE_SETREGS {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}";

        string? error = RunToSyscallStop(tid, ref deferredSignal) ?? RunToSyscallStop(tid, ref deferredSignal); // entry, then exit
        long result = 0;
        if (error is null)
            result = GetRegisters(tid, call) ? (long)call[Rax] : long.MinValue;
        // Whatever happened, the thread goes on exactly where it was.
        if (!SetRegisters(tid, saved)) return $"PTRACE_SETREGS {tid} (restoring): {LibC.ErrnoMessage(LibC.LastErrno)}";
        if (error is not null) return error;
        if (result == long.MinValue) return $"PTRACE_GETREGS {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}";
        return result == 0 ? null : $"seccomp() in process returned {LibC.ErrnoMessage((int)-result)} (a filter of the program's own may refuse it, or its threads' filters differ)";
    }

    /// <summary>
    /// The thread was interrupted inside a call the kernel will restart (-ERESTART*): the restart is done
    /// on the way back to user space only when a signal is being handled, which will not happen after our
    /// call. So do it in the saved registers, as the kernel would with no handler to run.
    /// </summary>
    private static void CompleteRestart(ulong* registers)
    {
        if ((long)registers[OrigRax] < 0) return;
        switch ((long)registers[Rax])
        {
            case ERESTARTSYS or ERESTARTNOINTR or ERESTARTNOHAND:
                registers[Rax] = registers[OrigRax];
                registers[Rip] -= 2;
                break;
            case ERESTART_RESTARTBLOCK:
                registers[Rax] = RestartSyscallNumber;
                registers[Rip] -= 2;
                break;
        }
        registers[OrigRax] = ulong.MaxValue;
    }

    /// <summary>A `syscall` (0f 05): the one the thread is stopped after, or one in the vDSO.</summary>
    private static ulong? SyscallInstruction(int tid, ulong* registers)
    {
        if ((long)registers[OrigRax] >= 0 && Peek(tid, registers[Rip] - 2, out var word) && (word & 0xffff) == 0x050f)
            return registers[Rip] - 2;
        if (ProcessFilters.Mapping(tid, "[vdso]") is not { } vdso) return null;
        var bytes = new byte[(int)Math.Min(vdso.End - vdso.Start, 1 << 16)];
        for (int offset = 0; offset + 8 <= bytes.Length; offset += 8)
        {
            if (!Peek(tid, vdso.Start + (ulong)offset, out var w)) return null;
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), w);
        }
        for (int i = 0; i + 1 < bytes.Length; i++)
            if (bytes[i] == 0x0f && bytes[i + 1] == 0x05) return vdso.Start + (ulong)i;
        return null;
    }

    /// <summary>Writes whole words (the image is a multiple of 8 bytes: a 16-byte header and sock_filter entries).</summary>
    private static string? WriteMemory(int tid, ulong address, byte[] image)
    {
        for (int offset = 0; offset < image.Length; offset += 8)
            if (!Poke(tid, address + (ulong)offset, BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(offset))))
                return $"PTRACE_POKEDATA {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}";
        return null;
    }

    private static string? RunToSyscallStop(int tid, ref int deferredSignal)
    {
        for (int attempt = 0; attempt < MaxSignalRetries; attempt++)
        {
            if (Call(PTRACE_SYSCALL, tid, 0, 0) != 0) return $"PTRACE_SYSCALL {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}";
            var stop = WaitForStop(tid);
            if (stop.Error is not null) return stop.Error;
            if (stop.Event == 0 && stop.Signal == SyscallTrap) return null;
            if (stop.Event == 0) deferredSignal = stop.Signal; // held back; sent again after detaching
            else if (stop.Event == PTRACE_EVENT_STOP && stop.Signal != SIGTRAP) return $"thread {tid} was stopped by job control during the injection";
        }
        return $"thread {tid} did not reach the injected call";
    }

    private readonly record struct Stop(int Signal, int Event, string? Error);

    private static Stop WaitForStop(int tid)
    {
        int status;
        while (LibC.WaitPid(tid, &status, __WALL) < 0)
            if (LibC.LastErrno != Bpf.LinuxErrno.EINTR) return new Stop(0, 0, $"waitpid {tid}: {LibC.ErrnoMessage(LibC.LastErrno)}");
        if ((status & 0xff) != 0x7f) return new Stop(0, 0, $"thread {tid} ended during the injection");
        return new Stop((status >> 8) & 0xff, (status >> 16) & 0xffff, null);
    }
}
