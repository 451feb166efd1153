namespace SeccompEbpf.Bpf.Engine.Interpreter;

/// <summary>A validated program run by <see cref="InterpreterLoop"/>; also serves callbacks into the program.</summary>
public sealed unsafe class InterpretedProgram : IBpfExecutable, ICallbackInvoker
{
    internal InterpretedProgram(BpfProgram program) => Program = program;

    public BpfProgram Program { get; }
    public EngineKind Kind => EngineKind.Interpreter;

    public BpfRunResult Run(BpfRunContext context, in BpfRunArgs args)
    {
        var trace = new NoTrace();
        return Run(context, args, ref trace);
    }

    /// <summary>Runs with a per-instruction trace (the CLI's --trace).</summary>
    public BpfRunResult RunTraced(BpfRunContext context, in BpfRunArgs args, InstructionTraceCallback callback)
    {
        var trace = new CallbackTrace(callback);
        return Run(context, args, ref trace);
    }

    private BpfRunResult Run<TTrace>(BpfRunContext context, in BpfRunArgs args, ref TTrace trace) where TTrace : struct, IInterpreterTrace
    {
        context.BeginRun(Program, args);
        context.Callbacks = this;
        try
        {
            ulong* r = stackalloc ulong[16];
            new Span<ulong>(r, 16).Clear();
            r[1] = args.R1; r[2] = args.R2; r[3] = args.R3; r[4] = args.R4; r[5] = args.R5;
            r[10] = context.FramePointer(0);
            long executed = 0;
            ulong r0 = InterpreterLoop.Execute(context, r, 0, ref executed, out var error, ref trace);
            return error is null ? BpfRunResult.Success(r0, executed) : BpfRunResult.Failure(error, executed);
        }
        finally
        {
            context.EndRun();
        }
    }

    public ulong Invoke(BpfRunContext context, int instructionIndex, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        int callerDepth = context.CallDepth;
        if (callerDepth + 1 >= BpfRunContext.MaxCallDepth)
            return context.Fail($"callback would exceed {BpfRunContext.MaxCallDepth} stack frames");
        context.CallDepth = callerDepth + 1;
        context.PrepareFrame(callerDepth + 1);
        ulong* r = stackalloc ulong[16];
        new Span<ulong>(r, 16).Clear();
        r[1] = r1; r[2] = r2; r[3] = r3; r[4] = r4; r[5] = r5;
        r[10] = context.FramePointer(callerDepth + 1);
        long executed = context.InstructionsExecuted;
        var trace = new NoTrace();
        ulong r0 = InterpreterLoop.Execute(context, r, instructionIndex, ref executed, out var error, ref trace);
        context.InstructionsExecuted = executed;
        context.CallDepth = callerDepth;
        if (error is not null) return context.Fail($"in callback at instruction {instructionIndex}: {error}");
        return r0;
    }
}
