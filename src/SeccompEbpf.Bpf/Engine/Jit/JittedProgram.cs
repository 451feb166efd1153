using System.Runtime.CompilerServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>A program compiled to native code through IL; also serves callbacks (loop, for_each_map_elem) into compiled code.</summary>
public sealed unsafe class JittedProgram : IBpfExecutable, ICallbackInvoker
{
    // Cached from the code and the options: read on every run.
    private readonly JitBody _body;
    private readonly bool _runsAlone;
    private readonly bool _clearFrame;
    private readonly int _mainFrameWriteExtent;
    private readonly ulong _assumedContextSize; // 0: no verified context to check
    private readonly bool _assumedContextWritable;

    internal JittedProgram(JitCode code, JitOptions options, TimeSpan compileTime)
    {
        Code = code;
        Options = options;
        CompileTime = compileTime;
        _body = code.Body;
        _runsAlone = code.RunsAlone;
        _clearFrame = !options.StackReadsProvenInitialized;
        _mainFrameWriteExtent = code.MainFrameWriteExtent;
        _assumedContextSize = (ulong)Math.Max(0, options.AssumedContextSize ?? 0);
        _assumedContextWritable = options.AssumedContextWritable;
    }

    public JitCode Code { get; }
    public JitOptions Options { get; }
    public BpfProgram Program => Code.Program;
    public EngineKind Kind => EngineKind.Jit;

    /// <summary>Time spent validating, generating IL and creating the delegate (native code is produced on the first run).</summary>
    public TimeSpan CompileTime { get; }

    public BpfRunResult Run(BpfRunContext context, in BpfRunArgs args) =>
        _runsAlone ? RunAlone(context, args, 0) : RunBound(context, args, 0);

    /// <summary>
    /// Runs with r1 = a context of <paramref name="length"/> bytes (a seccomp filter's entry): the
    /// same as <see cref="Run"/> with <see cref="BpfRunArgs.ForContext"/>; a read-only context of a
    /// program that runs alone goes straight to the compiled code, without building the arguments.
    /// </summary>
    [SkipLocalsInit]
    public BpfRunResult RunWithContext(BpfRunContext context, void* data, int length, bool writable = false)
    {
        if (!_runsAlone || length <= 0 || writable) return Run(context, BpfRunArgs.ForContext(data, length, writable));
        if (_assumedContextSize != 0 && ((ulong)length < _assumedContextSize || data == null || _assumedContextWritable))
            return ContextMismatch(BpfRunArgs.ForContext(data, length));
        PrepareMainFrame(context);
        RegisterBlock registers;
        registers[1] = (ulong)data; registers[2] = registers[3] = registers[4] = registers[5] = 0;
        JitRunState run;
        Initialise(&run, context, (ulong)data, (ulong)length, contextWritable: false, default);
        ulong r0 = _body(context, (ulong*)&registers, &run, 0, 0);
        if (run.Failed == 0) return BpfRunResult.Success(r0, run.Executed);
        return BpfRunResult.Failure(DescribeFailure(context, &run, BpfRunArgs.ForContext(data, length)), run.Executed);
    }

    /// <summary>Runs from <paramref name="entry"/>, which must be 0, a function, or one of <see cref="JitOptions.AdditionalEntryPoints"/>.</summary>
    public BpfRunResult RunFrom(BpfRunContext context, in BpfRunArgs args, int entry)
    {
        if (entry != 0 && !Code.IsEntry(entry))
            return BpfRunResult.Failure(BpfError.At(entry, "not an entry point of the compiled code"), 0);
        return _runsAlone ? RunAlone(context, args, entry) : RunBound(context, args, entry);
    }

    /// <summary>
    /// The fast path for a program that calls nothing: the run context is not bound (nothing could
    /// observe it), only frame 0 is cleared (unless proven unnecessary), and the regions go to the
    /// compiled code in the run state. A refused access is described afterwards, with the regions bound.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private BpfRunResult RunAlone(BpfRunContext context, in BpfRunArgs args, int entry)
    {
        if (_assumedContextSize != 0 && !ContextMatchesProof(args)) return ContextMismatch(args);
        PrepareMainFrame(context);
        RegisterBlock registers;
        registers[1] = args.R1; registers[2] = args.R2; registers[3] = args.R3; registers[4] = args.R4; registers[5] = args.R5;
        JitRunState run;
        Initialise(&run, context, args.Context.Start, args.Context.Length, args.Context.Writable, args.Memory);
        ulong r0 = _body(context, (ulong*)&registers, &run, entry, 0);
        if (run.Failed == 0) return BpfRunResult.Success(r0, run.Executed);
        return BpfRunResult.Failure(DescribeFailure(context, &run, args), run.Executed);
    }

    /// <summary>The general path: the run context is bound for helpers, calls and tail calls.</summary>
    [SkipLocalsInit]
    private BpfRunResult RunBound(BpfRunContext context, in BpfRunArgs args, int entry)
    {
        if (_assumedContextSize != 0 && !ContextMatchesProof(args)) return ContextMismatch(args);
        context.BeginRun(Program, args, _clearFrame);
        context.Callbacks = this;
        try
        {
            RegisterBlock registers;
            registers[1] = args.R1; registers[2] = args.R2; registers[3] = args.R3; registers[4] = args.R4; registers[5] = args.R5;
            JitRunState run;
            Initialise(&run, context, args.Context.Start, args.Context.Length, args.Context.Writable, args.Memory);
            ulong r0 = _body(context, (ulong*)&registers, &run, entry, 0);
            return run.Failed == 0
                ? BpfRunResult.Success(r0, run.Executed)
                : BpfRunResult.Failure(DescribeFailure(context, &run, args), run.Executed);
        }
        finally
        {
            context.EndRun();
        }
    }

    /// <summary>Clears what earlier runs left in frame 0 (unless proven unnecessary) and records what this program may write there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrepareMainFrame(BpfRunContext context)
    {
        if (_clearFrame) context.PrepareMainFrame(_mainFrameWriteExtent);
        else context.NoteMainFrameWrites(_mainFrameWriteExtent);
    }

    /// <summary>A fresh run state with the run's context and caller-memory regions (the context as three values, so the seccomp entry builds no region).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Initialise(JitRunState* run, BpfRunContext context, ulong contextStart, ulong contextLength, bool contextWritable, in MemoryRegion memory)
    {
        run->Executed = 0;
        run->Budget = context.InstructionBudget;
        run->Failed = 0;
        run->StackBase = context.StackBase;
        run->ContextStart = contextStart;
        run->ContextLength = contextLength;
        run->ContextWritable = contextWritable ? 1 : 0;
        run->MemoryStart = memory.Start;
        run->MemoryLength = memory.Length;
        run->MemoryWritable = memory.Writable ? 1 : 0;
    }

    /// <summary>The verifier's proof holds only for r1 = the start of a context at least as large as it assumed.</summary>
    private bool ContextMatchesProof(in BpfRunArgs args) =>
        args.R1 == args.Context.Start && args.Context.Start != 0 && args.Context.Length >= _assumedContextSize
        && (args.Context.Writable || !_assumedContextWritable);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private BpfRunResult ContextMismatch(in BpfRunArgs args) => BpfRunResult.Failure(new BpfError(
        $"'{Program.Name}' was compiled for a verified program with a {(_assumedContextWritable ? "writable" : "read-only")} context of {_assumedContextSize} bytes at r1, " +
        $"but this run passes r1=0x{args.R1:x} and a {(args.Context.Writable ? "writable" : "read-only")} context of {args.Context.Length} bytes at 0x{args.Context.Start:x}; refusing to run it unchecked"), 0);

    /// <summary>The error of a failed run; a refused access recorded by a program that ran alone is described with the run's regions bound.</summary>
    private BpfError DescribeFailure(BpfRunContext context, JitRunState* run, in BpfRunArgs args)
    {
        if (run->Failed != JitRunState.FailedAccess) return JitRunState.TakeError();
        bool bound = context.Program is not null;
        if (!bound) context.BindRegions(Program, args);
        try
        {
            return context.AccessFault(run->FaultPc, run->FaultAddress, (ulong)run->FaultSize, run->FaultWrite != 0);
        }
        finally
        {
            if (!bound) context.EndRun();
        }
    }

    public ulong Invoke(BpfRunContext context, int instructionIndex, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        int callerDepth = context.CallDepth;
        if (callerDepth + 1 >= BpfRunContext.MaxCallDepth)
            return context.Fail($"callback would exceed {BpfRunContext.MaxCallDepth} stack frames");
        // After a tail call the running program is another one: call back into its code.
        var compiled = context.Program == Program ? Code : BpfJit.CodeFor(context.Program!);
        if (!compiled.IsOk) return context.Fail($"callback: {compiled.Error}");
        var code = compiled.Value;
        if (!code.IsEntry(instructionIndex))
            return context.Fail($"callback at instruction {instructionIndex} is not the start of a function the JIT knows (load it with lddw src=func)");
        context.CallDepth = callerDepth + 1;
        context.PrepareFrame(callerDepth + 1);
        ulong* registers = stackalloc ulong[11];
        registers[1] = r1; registers[2] = r2; registers[3] = r3; registers[4] = r4; registers[5] = r5;
        JitRunState run = default;
        run.Executed = context.InstructionsExecuted;
        run.Budget = context.InstructionBudget;
        run.StackBase = context.StackBase;
        // The regions are not known here: callbacks use the general check (the context is bound during a callback).
        ulong r0 = code.Body(context, registers, &run, instructionIndex, callerDepth + 1);
        context.InstructionsExecuted = run.Executed;
        context.CallDepth = callerDepth;
        if (run.Failed != 0)
            return context.Fail($"in callback at instruction {instructionIndex}: {DescribeFailure(context, &run, default)}");
        return r0;
    }

    /// <summary>r0..r10 handed to and from compiled code (a struct, so the fast path stays inlinable).</summary>
    [InlineArray(11)]
    private struct RegisterBlock
    {
        private ulong _r0;
    }

    public override string ToString() => $"{Program.Name} (JIT, compiled in {CompileTime.TotalMicroseconds:F0} µs)";
}
