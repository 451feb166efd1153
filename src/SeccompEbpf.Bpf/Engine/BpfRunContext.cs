using System.Diagnostics;
using System.Runtime.CompilerServices;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Engine;

/// <summary>
/// Everything one run needs besides the program: the stack (512 bytes per frame, 8 frames, in
/// native memory), the table of memory regions the program may touch, the environment object of
/// the layer above, the trace log, the instruction budget, and the channel through which helpers
/// report a fault or a tail call. A context is used by one thread at a time and reused across runs,
/// so running allocates nothing.
/// </summary>
public sealed unsafe class BpfRunContext : IDisposable
{
    public const int StackFrameSize = 512;
    public const int MaxCallDepth = 8;
    /// <summary>The kernel's MAX_TAIL_CALL_CNT.</summary>
    public const int MaxTailCalls = 33;
    public const long DefaultInstructionBudget = 1_000_000;
    public const int ScratchSize = 512;

    /// <summary>Bits of <see cref="PendingAction"/>.</summary>
    public const int PendingError = 1, PendingTailCall = 2;

    private readonly NativeSlab _stack = new(StackFrameSize * MaxCallDepth);
    private readonly MemoryRegion _stackRegion;
    // Read-only to the program: helpers put data there that they pass to callbacks (a map key).
    private readonly NativeSlab _scratch = new(ScratchSize);
    private readonly MemoryRegion _scratchRegion;
    // The caller's regions of the current run, field by field: copying a MemoryRegion (it holds its
    // name) into this object took a bulk write barrier, twice per run; the names rarely change.
    private RegionSlot _context, _memory;
    private MemoryRegion[] _mapRegions = [];
    private ulong _randomState;
    // Ring buffer records reserved by this run and not yet submitted; discarded at the end of the run
    // so that a program that forgets one (the kernel's verifier would refuse it) cannot block the consumer.
    private readonly (RingBufferMap Ring, ulong Address)[] _reservations = new (RingBufferMap, ulong)[MaxOutstandingReservations];
    private int _reservationCount;

    /// <summary>Ring buffer records one run may hold reserved at once.</summary>
    public const int MaxOutstandingReservations = 16;

    public BpfRunContext()
    {
        _stackRegion = _stack.Region(writable: true, MemoryRegionKind.Stack, "stack");
        _scratchRegion = _scratch.Region(writable: false, MemoryRegionKind.HelperMemory, "helper scratch");
        RandomSeed = (ulong)Random.Shared.NextInt64() | 1;
    }

    /// <summary>Instructions a run may execute before it is stopped (runaway loops in unverified programs).</summary>
    public long InstructionBudget { get; set; } = DefaultInstructionBudget;

    /// <summary>The layer above's view of the world (e.g. the filtered process); helpers read it.</summary>
    public object? Environment { get; set; }

    public BpfTraceLog TraceLog { get; set; } = new();

    /// <summary>
    /// Clear each stack frame before use, so a run never sees data an earlier run (another process)
    /// left. Frame 0 is cleared only as far as earlier runs may have written it (<see cref="PrepareMainFrame"/>).
    /// </summary>
    public bool ClearStack { get; set; } = true;

    /// <summary>Source of ktime_get_ns / ktime_get_boot_ns; replace for deterministic runs.</summary>
    public Func<ulong> MonotonicNanoseconds { get; set; } = DefaultClock;

    /// <summary>Seeds get_prandom_u32 (xorshift); set for reproducible runs.</summary>
    public ulong RandomSeed
    {
        get => _randomState;
        set => _randomState = value == 0 ? 0x9E3779B97F4A7C15UL : value;
    }

    /// <summary>The program now running (changes on a tail call); null outside a run.</summary>
    public BpfProgram? Program { get; private set; }

    /// <summary>Set by the engine for the duration of a run.</summary>
    public ICallbackInvoker? Callbacks { get; set; }

    /// <summary>Current bpf-to-bpf call depth (0 = main program); maintained by the engine.</summary>
    public int CallDepth { get; set; }

    /// <summary>Instructions executed so far; engines keep it current whenever a helper runs.</summary>
    public long InstructionsExecuted { get; set; }

    /// <summary>Tail calls taken in this run.</summary>
    public int TailCallCount { get; private set; }

    /// <summary>Non-zero after a helper asked to stop (error) or to switch program (tail call).</summary>
    public int PendingAction;
    public string? PendingErrorMessage { get; private set; }
    public BpfProgram? PendingTailCallTarget { get; private set; }

    public T? GetEnvironment<T>() where T : class => Environment as T;

    // ---- stack ----

    public ulong StackBase => _stack.Address;

    /// <summary>r10 of the frame at <paramref name="depth"/>: frames grow down from the top of the stack block.</summary>
    public ulong FramePointer(int depth) => _stack.Address + (ulong)((MaxCallDepth - depth) * StackFrameSize);

    /// <summary>Clears the frame at <paramref name="depth"/> when <see cref="ClearStack"/> is on.</summary>
    public void PrepareFrame(int depth)
    {
        if (depth == 0) PrepareMainFrame(StackFrameSize);
        else if (ClearStack)
            new Span<byte>((void*)(FramePointer(depth) - StackFrameSize), StackFrameSize).Clear();
    }

    // Frame 0 is zero except for the _mainFrameDirty bytes below its top, which earlier runs may have
    // written; clearing only those keeps a run that writes little (or nothing) cheap.
    private int _mainFrameDirty = StackFrameSize;

    /// <summary>
    /// Before a run at depth 0: when <see cref="ClearStack"/> is on, clears what earlier runs may have
    /// written in frame 0, and records that this run may write the <paramref name="writeExtent"/>
    /// bytes below the frame's top (<see cref="StackFrameSize"/> when not known). The stack belongs
    /// to runs: code outside a run must not write it.
    /// </summary>
    public void PrepareMainFrame(int writeExtent)
    {
        if (!ClearStack)
        {
            _mainFrameDirty = StackFrameSize;
            return;
        }
        int dirty = _mainFrameDirty;
        if (dirty > 0) new Span<byte>((void*)(FramePointer(0) - (ulong)dirty), dirty).Clear();
        _mainFrameDirty = Math.Clamp(writeExtent, 0, StackFrameSize);
    }

    /// <summary>A run that did not clear frame 0 (a verified program) may write the <paramref name="writeExtent"/> bytes below its top.</summary>
    public void NoteMainFrameWrites(int writeExtent)
    {
        if (writeExtent > _mainFrameDirty) _mainFrameDirty = Math.Min(writeExtent, StackFrameSize);
    }

    // ---- run lifecycle (called by engines) ----

    /// <summary>Starts a run: binds the program and the regions, resets the per-run state, clears frame 0 (unless <paramref name="clearFrame"/> is false: a verifier proved the program never reads stack it did not write).</summary>
    public void BeginRun(BpfProgram program, in BpfRunArgs args, bool clearFrame = true)
    {
        BindRegions(program, args);
        PendingAction = 0;
        PendingErrorMessage = null;
        PendingTailCallTarget = null;
        TailCallCount = 0;
        CallDepth = 0;
        InstructionsExecuted = 0;
        if (clearFrame) PrepareFrame(0);
        else NoteMainFrameWrites(StackFrameSize); // helpers may write anywhere in it
    }

    /// <summary>
    /// Makes <paramref name="program"/> and the regions of <paramref name="args"/> current without
    /// starting a run (the JIT describes a fault of a program that ran without a bound context);
    /// <see cref="EndRun"/> forgets them again.
    /// </summary>
    public void BindRegions(BpfProgram program, in BpfRunArgs args)
    {
        Program = program;
        var mapRegions = program.MapRegions;
        if (!ReferenceEquals(_mapRegions, mapRegions)) _mapRegions = mapRegions; // usually the same program again
        _context.Set(args.Context);
        _memory.Set(args.Memory);
    }

    /// <summary>Forgets the caller's regions so that pointers from this run are worthless afterwards.</summary>
    public void EndRun()
    {
        while (_reservationCount > 0)
        {
            var (ring, address) = _reservations[--_reservationCount];
            ring.Commit(address, discard: true);
            _reservations[_reservationCount] = default;
        }
        _context.Forget();
        _memory.Forget();
        Program = null;
        Callbacks = null;
        PendingTailCallTarget = null;
    }

    /// <summary>Switches to the tail-call target a helper requested; the engine then starts it at instruction 0.</summary>
    public BpfProgram TakeTailCall()
    {
        var target = PendingTailCallTarget ?? throw new InvalidOperationException("no tail call pending");
        PendingTailCallTarget = null;
        PendingAction &= ~PendingTailCall;
        Program = target;
        _mapRegions = target.MapRegions;
        return target;
    }

    // ---- helper-facing API ----

    public bool HasPendingAction => PendingAction != 0;

    /// <summary>Stops the run with <paramref name="message"/> (the engine adds the instruction index). Returns 0 for convenience.</summary>
    public ulong Fail(string message)
    {
        if ((PendingAction & PendingError) == 0) PendingErrorMessage = message;
        PendingAction |= PendingError;
        return 0;
    }

    /// <summary>Asks the engine to continue in <paramref name="target"/>; 0, or -ENOENT past the tail-call limit.</summary>
    public long RequestTailCall(BpfProgram target)
    {
        if (TailCallCount >= MaxTailCalls) return -LinuxErrno.ENOENT;
        TailCallCount++;
        PendingTailCallTarget = target;
        PendingAction |= PendingTailCall;
        return 0;
    }

    /// <summary>Remembers a reservation until it is submitted or discarded; false when too many are outstanding.</summary>
    public bool TrackReservation(RingBufferMap ring, ulong address)
    {
        if (_reservationCount == MaxOutstandingReservations) return false;
        _reservations[_reservationCount++] = (ring, address);
        return true;
    }

    /// <summary>Forgets a reservation that was submitted or discarded.</summary>
    public void ForgetReservation(ulong address)
    {
        for (int i = 0; i < _reservationCount; i++)
        {
            if (_reservations[i].Address != address) continue;
            _reservations[i] = _reservations[--_reservationCount];
            _reservations[_reservationCount] = default;
            return;
        }
    }

    /// <summary>The map behind a handle (lddw src=MapIdx/MapFd) of the running program, or null.</summary>
    public BpfMap? ResolveMap(ulong handle) => Program?.ResolveMap(handle);

    public uint NextRandom()
    {
        // xorshift64*: fast, allocation-free, good enough for get_prandom_u32 (which is not cryptographic either).
        ulong x = _randomState;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _randomState = x;
        return (uint)((x * 0x2545F4914F6CDD1DUL) >> 32);
    }

    // ---- memory check ----

    /// <summary>True when [address, address+size) lies inside one region the program may touch (and it is writable if asked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CanAccess(ulong address, ulong size, bool write)
    {
        if (_stackRegion.Contains(address, size)) return true;
        return CanAccessSlow(address, size, write);
    }

    private bool CanAccessSlow(ulong address, ulong size, bool write)
    {
        if (_context.Contains(address, size)) return !write || _context.Writable;
        if (_memory.Contains(address, size)) return !write || _memory.Writable;
        foreach (ref readonly var region in _mapRegions.AsSpan())
            if (region.Contains(address, size)) return !write || region.Writable;
        return _scratchRegion.Contains(address, size) && !write;
    }

    /// <summary>A checked view of program memory for helpers; false if any byte is outside the regions.</summary>
    public bool TryGetSpan(ulong address, ulong length, bool write, out Span<byte> span)
    {
        if (length > int.MaxValue || (length > 0 && !CanAccess(address, length, write)))
        {
            span = default;
            return false;
        }
        span = new Span<byte>((void*)address, (int)length);
        return true;
    }

    /// <summary>The error for a refused access at instruction <paramref name="pc"/>: says what was accessed and what is there.</summary>
    public BpfError AccessFault(int pc, ulong address, ulong size, bool write)
    {
        string what = write ? "write" : "read";
        return BpfError.At(pc, $"invalid {what} of {size} byte(s) at 0x{address:x}: {DescribeAddress(address, size, write)}");
    }

    /// <summary>Explains why an access fails: which region it hits or is next to, or that it is unmapped.</summary>
    public string DescribeAddress(ulong address, ulong size, bool write)
    {
        if (address == 0) return "null pointer";
        if (PseudoAddress.TryDecodeMap(address, out _)) return "a map handle is not a pointer";
        if (PseudoAddress.TryDecodeFunction(address, out _)) return "a function address is not a pointer";
        foreach (var region in AllRegions())
        {
            if (region.Contains(address, size))
                return write && !region.Writable ? $"{region} is read-only" : $"inside {region}";
            if (address - region.Start < region.Length || (address < region.Start && region.Start - address < size))
                return $"crosses the bounds of {region} (offset {(long)(address - region.Start)})";
        }
        // Name the nearest region within a page (regions may lie close together in native memory).
        string? nearest = null;
        long nearestDistance = 4096;
        foreach (var region in AllRegions())
        {
            long offset = (long)(address - region.Start);
            if (offset < 0 && -offset < nearestDistance)
                (nearest, nearestDistance) = ($"{-offset} byte(s) before {region}", -offset);
            else if (offset >= (long)region.Length && offset - (long)region.Length < nearestDistance)
                (nearest, nearestDistance) = ($"{offset - (long)region.Length} byte(s) past the end of {region}", offset - (long)region.Length);
        }
        return nearest ?? "not in any memory the program may access";
    }

    /// <summary>The regions in force now (for messages and debugging).</summary>
    public IEnumerable<MemoryRegion> AllRegions()
    {
        yield return _stackRegion;
        if (_context.Length > 0) yield return _context.Region;
        if (_memory.Length > 0) yield return _memory.Region;
        foreach (var r in _mapRegions) yield return r;
        yield return _scratchRegion;
    }

    /// <summary>A small buffer helpers fill and hand to the program read-only (e.g. the key for a for_each_map_elem callback).</summary>
    public Span<byte> Scratch => _scratch.Span;
    public ulong ScratchAddress => _scratch.Address;

    private static readonly double TicksToNanoseconds = 1e9 / Stopwatch.Frequency;

    private static ulong DefaultClock() => Stopwatch.Frequency == 1_000_000_000
        ? (ulong)Stopwatch.GetTimestamp()
        : (ulong)(Stopwatch.GetTimestamp() * TicksToNanoseconds);

    /// <summary>A <see cref="MemoryRegion"/> kept in a mutable slot; its name is written only when it changes.</summary>
    private struct RegionSlot
    {
        public ulong Start, Length;
        public bool Writable;
        private MemoryRegionKind _kind;
        private string? _name;

        public void Set(in MemoryRegion region)
        {
            Start = region.Start;
            Length = region.Length;
            Writable = region.Writable;
            _kind = region.Kind;
            if (!ReferenceEquals(_name, region.Name)) _name = region.Name;
        }

        public void Forget() => Length = 0;

        public readonly bool Contains(ulong address, ulong size)
        {
            ulong offset = address - Start;
            return offset < Length && size <= Length - offset;
        }

        public readonly MemoryRegion Region => new(Start, Length, Writable, _kind, _name);
    }

    public void Dispose()
    {
        _stack.Dispose();
        _scratch.Dispose();
    }
}
