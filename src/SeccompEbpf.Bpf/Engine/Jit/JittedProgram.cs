namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>A program compiled to native code through IL; also serves callbacks (loop, for_each_map_elem) into compiled code.</summary>
public sealed unsafe class JittedProgram : IBpfExecutable, ICallbackInvoker
{
    internal JittedProgram(JitCode code, JitOptions options, TimeSpan compileTime)
    {
        Code = code;
        Options = options;
        CompileTime = compileTime;
    }

    public JitCode Code { get; }
    public JitOptions Options { get; }
    public BpfProgram Program => Code.Program;
    public EngineKind Kind => EngineKind.Jit;

    /// <summary>Time spent validating, generating IL and creating the delegate (native code is produced on the first run).</summary>
    public TimeSpan CompileTime { get; }

    public BpfRunResult Run(BpfRunContext context, in BpfRunArgs args) => RunFrom(context, args, 0);

    /// <summary>Runs from <paramref name="entry"/>, which must be 0, a function, or one of <see cref="JitOptions.AdditionalEntryPoints"/>.</summary>
    public BpfRunResult RunFrom(BpfRunContext context, in BpfRunArgs args, int entry)
    {
        if (entry != 0 && !Code.IsEntry(entry))
            return BpfRunResult.Failure(BpfError.At(entry, "not an entry point of the compiled code"), 0);
        context.BeginRun(Program, args);
        context.Callbacks = this;
        try
        {
            ulong* registers = stackalloc ulong[11];
            registers[1] = args.R1; registers[2] = args.R2; registers[3] = args.R3; registers[4] = args.R4; registers[5] = args.R5;
            JitRunState run;
            run.Executed = 0;
            run.Budget = context.InstructionBudget;
            run.Failed = 0;
            run.ContextStart = args.Context.Start;
            run.ContextLength = args.Context.Length;
            run.ContextWritable = args.Context.Writable ? 1 : 0;
            ulong r0 = Code.Body(context, registers, &run, entry, 0);
            return run.Failed == 0
                ? BpfRunResult.Success(r0, run.Executed)
                : BpfRunResult.Failure(JitRunState.TakeError(), run.Executed);
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
        JitRunState run;
        run.Executed = context.InstructionsExecuted;
        run.Budget = context.InstructionBudget;
        run.Failed = 0;
        run.ContextStart = run.ContextLength = 0; // not known here: callbacks use the general check for the context
        run.ContextWritable = 0;
        ulong r0 = code.Body(context, registers, &run, instructionIndex, callerDepth + 1);
        context.InstructionsExecuted = run.Executed;
        context.CallDepth = callerDepth;
        if (run.Failed != 0) return context.Fail($"in callback at instruction {instructionIndex}: {JitRunState.TakeError()}");
        return r0;
    }

    public override string ToString() => $"{Program.Name} (JIT, compiled in {CompileTime.TotalMicroseconds:F0} µs)";
}
