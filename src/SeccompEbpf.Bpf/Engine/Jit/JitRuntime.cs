using System.Runtime.CompilerServices;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// The slow paths of compiled code: faults (with the interpreter's exact messages, instruction
/// indices and instruction counts), entering functions, indirect calls and tail calls. Kept out of
/// the generated IL so that the hot code stays small.
/// </summary>
public static unsafe class JitRuntime
{
    /// <summary>The check for anything but the stack (which compiled code checks inline); not inlined, to keep compiled methods small.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool CanAccess(BpfRunContext context, ulong address, ulong size, bool write) => context.CanAccess(address, size, write);

    /// <summary>
    /// The same check for a program that runs alone (<see cref="JitCode.RunsAlone"/>): the run
    /// context is not bound, so the regions come from the run state and the program, in the order
    /// <see cref="BpfRunContext.CanAccess"/> tries them (stack, context, memory, map values, scratch).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool CanAccessAlone(JitCode code, BpfRunContext context, JitRunState* run, ulong address, ulong size, bool write)
    {
        if (new MemoryRegion(run->StackBase, BpfRunContext.StackFrameSize * BpfRunContext.MaxCallDepth, true, MemoryRegionKind.Stack).Contains(address, size))
            return true;
        if (new MemoryRegion(run->ContextStart, run->ContextLength, false, MemoryRegionKind.Context).Contains(address, size))
            return !write || run->ContextWritable != 0;
        if (new MemoryRegion(run->MemoryStart, run->MemoryLength, false, MemoryRegionKind.CallerMemory).Contains(address, size))
            return !write || run->MemoryWritable != 0;
        foreach (ref readonly var region in code.Program.MapRegions.AsSpan())
            if (region.Contains(address, size)) return !write || region.Writable;
        return !write && new MemoryRegion(context.ScratchAddress, BpfRunContext.ScratchSize, false, MemoryRegionKind.HelperMemory).Contains(address, size);
    }

    /// <summary>A refused access in a program that runs alone: recorded now, described by <see cref="JittedProgram"/> with the run's regions.</summary>
    public static void AccessFaultAlone(JitRunState* run, int pc, ulong address, int size, bool write, long executed)
    {
        run->Executed = executed;
        run->FailAccess(pc, address, size, write);
    }

    public static void AccessFault(BpfRunContext context, JitRunState* run, int pc, ulong address, int size, bool write, long executed)
    {
        run->Executed = executed;
        run->Fail(context.AccessFault(pc, address, (ulong)size, write));
    }

    public static void MisalignedAtomic(JitRunState* run, int pc, ulong address, int size, long executed)
    {
        run->Executed = executed;
        run->Fail(BpfError.At(pc, $"atomic operation on misaligned address 0x{address:x} (needs {size}-byte alignment)"));
    }

    public static void Fault(JitRunState* run, int pc, string message, long executed)
    {
        run->Executed = executed;
        run->Fail(BpfError.At(pc, message));
    }

    /// <summary>The block at <paramref name="blockStart"/> would pass the budget: find the instruction the interpreter stops at.</summary>
    public static void BudgetExhausted(JitCode code, JitRunState* run, int blockStart, long executedBefore)
    {
        long budget = run->Budget;
        int pc = code.Layout.NthInstruction(blockStart, budget - executedBefore);
        run->Executed = budget + 1;
        run->Fail(BpfError.At(pc, $"instruction budget of {budget} exhausted (a runaway loop?)"));
    }

    public static void CallTooDeep(JitRunState* run, int pc, long executed) =>
        Fault(run, pc, $"call depth would exceed {BpfRunContext.MaxCallDepth} frames", executed);

    /// <summary>Before a bpf-to-bpf call from the frame at <paramref name="depth"/>: the callee's frame becomes current.</summary>
    public static void EnterFunction(BpfRunContext context, int depth)
    {
        context.CallDepth = depth + 1;
        context.PrepareFrame(depth + 1);
    }

    /// <summary>
    /// A helper left a pending action: an error stops the run, a tail call continues in the target
    /// program (registers as they are, same frame). Returns what the method that called the helper returns.
    /// </summary>
    public static ulong HelperPending(JitCode code, BpfRunContext context, ulong* registers, JitRunState* run, int pc, int callSite, int depth)
    {
        if ((context.PendingAction & BpfRunContext.PendingError) != 0)
        {
            run->Fail(BpfError.At(pc, $"helper {code.CallSites[callSite].Name}: {context.PendingErrorMessage}"));
            return 0;
        }
        if (depth != 0)
        {
            run->Fail(BpfError.At(pc, "tail call from inside a bpf-to-bpf function or callback is not supported"));
            return 0;
        }
        var target = context.TakeTailCall();
        var compiled = BpfJit.CodeFor(target);
        if (!compiled.IsOk)
        {
            run->Fail(BpfError.At(pc, $"tail call target '{target.Name}' could not be compiled: {compiled.Error}"));
            return 0;
        }
        return compiled.Value.Body(context, registers, run, 0, 0);
    }

    /// <summary>callx: a function address (lddw src=func) or, as in the conformance suite, a helper id. Registers are spilled in <paramref name="registers"/>.</summary>
    public static ulong CallIndirect(JitCode code, BpfRunContext context, ulong* registers, JitRunState* run, int pc, int dst, ulong target, int depth)
    {
        if (PseudoAddress.TryDecodeFunction(target, out int function))
        {
            if (depth + 1 >= BpfRunContext.MaxCallDepth)
            {
                CallTooDeep(run, pc, run->Executed);
                return 0;
            }
            if ((uint)function >= (uint)code.Program.Instructions.Length)
            {
                Fault(run, pc, $"call target {function} is outside the program", run->Executed);
                return 0;
            }
            if (!code.IsEntry(function))
            {
                Fault(run, pc, $"callx target {function} is not the start of a function the JIT knows (functions are named by call or lddw src=func)", run->Executed);
                return 0;
            }
            EnterFunction(context, depth);
            ulong result = code.Body(context, registers, run, function, depth + 1);
            context.CallDepth = depth;
            return result;
        }
        var helper = target > int.MaxValue ? null : code.Program.Helpers.Find((long)target);
        if (helper is null)
        {
            Fault(run, pc, target > int.MaxValue
                ? $"callx target 0x{target:x} in r{dst} is neither a function address nor a helper id"
                : $"call to unknown helper #{target}", run->Executed);
            return 0;
        }
        context.InstructionsExecuted = run->Executed;
        ulong r0 = helper.Implementation(context, registers[1], registers[2], registers[3], registers[4], registers[5]);
        run->Executed = context.InstructionsExecuted;
        if ((context.PendingAction & BpfRunContext.PendingError) != 0)
        {
            run->Fail(BpfError.At(pc, $"helper {helper.Name}: {context.PendingErrorMessage}"));
            return 0;
        }
        if (context.PendingAction != 0)
        {
            run->Fail(BpfError.At(pc, "tail call through callx is not supported"));
            return 0;
        }
        return r0;
    }
}
