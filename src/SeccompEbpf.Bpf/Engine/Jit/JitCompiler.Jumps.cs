using System.Reflection.Emit;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>JMP and JMP32: branches to block labels; calls, callx and exit.</summary>
internal sealed partial class JitCompiler
{
    private void EmitJump(int pc, Instruction insn)
    {
        bool is32 = insn.Class == OpClass.Jmp32;
        switch (insn.Opcode)
        {
            case Opcodes.Ja: _il.Emit(OpCodes.Br, _labels[pc + 1 + insn.Offset]); return;
            case Opcodes.Ja32: _il.Emit(OpCodes.Br, _labels[pc + 1 + insn.Imm]); return;
            case Opcodes.Exit: EmitExit(); return;
            case Opcodes.Call when insn.Src == CallSource.Local: EmitLocalCall(pc, pc + 1 + insn.Imm); return;
            case Opcodes.Call: EmitHelperCall(pc, insn.Imm); return;
            case Opcodes.Callx: EmitCallx(pc, insn.Dst); return;
        }

        var target = _labels[pc + 1 + insn.Offset];
        Load(insn.Dst);
        if (is32) _il.Emit(OpCodes.Conv_U4);
        if (insn.UsesSrcRegister)
        {
            Load(insn.Src);
            if (is32) _il.Emit(OpCodes.Conv_U4);
        }
        else if (is32) _il.Emit(OpCodes.Ldc_I4, insn.Imm);
        else _il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);

        switch (insn.JmpOp)
        {
            case JmpOp.Jeq: _il.Emit(OpCodes.Beq, target); break;
            case JmpOp.Jne: _il.Emit(OpCodes.Bne_Un, target); break;
            case JmpOp.Jgt: _il.Emit(OpCodes.Bgt_Un, target); break;
            case JmpOp.Jge: _il.Emit(OpCodes.Bge_Un, target); break;
            case JmpOp.Jlt: _il.Emit(OpCodes.Blt_Un, target); break;
            case JmpOp.Jle: _il.Emit(OpCodes.Ble_Un, target); break;
            case JmpOp.Jsgt: _il.Emit(OpCodes.Bgt, target); break;
            case JmpOp.Jsge: _il.Emit(OpCodes.Bge, target); break;
            case JmpOp.Jslt: _il.Emit(OpCodes.Blt, target); break;
            case JmpOp.Jsle: _il.Emit(OpCodes.Ble, target); break;
            case JmpOp.Jset: _il.Emit(OpCodes.And); _il.Emit(OpCodes.Brtrue, target); break;
            default:
                _il.Emit(OpCodes.Pop);
                _il.Emit(OpCodes.Pop);
                EmitUnsupported(pc, insn);
                break;
        }
    }

    /// <summary>exit: hand r0..r5 back through the register block (a caller sees them, as in the interpreter) and return r0.</summary>
    private void EmitExit()
    {
        if (_spillAtExit) Spill(0, 5); // nobody reads them back unless this method calls itself
        StoreExecutedToRun();
        Load(0);
        _il.Emit(OpCodes.Ret);
    }

    /// <summary>bpf-to-bpf call: a recursive call of this method at the callee's entry, one frame deeper.</summary>
    private void EmitLocalCall(int pc, int target)
    {
        long remaining = RemainingInBlock;
        var tooDeep = Stub(() =>
        {
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldc_I4, pc);
            EmitExecutedAt(remaining);
            _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), nameof(JitRuntime.CallTooDeep)));
            _il.Emit(OpCodes.Br, _returnZero);
        });
        _il.Emit(OpCodes.Ldarg, ArgDepth);
        _il.Emit(OpCodes.Ldc_I4, BpfRunContext.MaxCallDepth - 1);
        _il.Emit(OpCodes.Bge, tooDeep);

        Spill(0, 9);
        StoreExecutedToRun();
        _il.Emit(OpCodes.Ldarg, ArgContext);
        _il.Emit(OpCodes.Ldarg, ArgDepth);
        _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), nameof(JitRuntime.EnterFunction)));

        _il.Emit(OpCodes.Ldarg, ArgCode);
        _il.Emit(OpCodes.Ldarg, ArgContext);
        _il.Emit(OpCodes.Ldarg, ArgRegisters);
        _il.Emit(OpCodes.Ldarg, ArgRun);
        _il.Emit(OpCodes.Ldc_I4, target);
        _il.Emit(OpCodes.Ldarg, ArgDepth);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Call, _method);
        Store(0);
        ReturnIfFailed();

        _il.Emit(OpCodes.Ldarg, ArgContext);
        _il.Emit(OpCodes.Ldarg, ArgDepth);
        _il.Emit(OpCodes.Callvirt, Setter(typeof(BpfRunContext), nameof(BpfRunContext.CallDepth)));
        Reload(1, 5);
        LoadExecutedFromRun();
    }

    /// <summary>Helper call through the implementation resolved at compile time; no boxing, no allocation.</summary>
    private void EmitHelperCall(int pc, int id)
    {
        var helper = _program.Helpers.Find(id)!; // ProgramChecks guarantees it exists
        int site = _callSites.Count;
        _callSites.Add(helper);

        if (helper.Implementation == MapHelpers.Lookup.Implementation && _r1Map >= 0)
        {
            // The map is a constant here: no helper delegate (JitCompiler.MapLookup).
            EmitDirectMapLookup(_r1Map);
        }
        else
        {
            _il.Emit(OpCodes.Ldarg, ArgContext);
            EmitExecutedAt(0);
            _il.Emit(OpCodes.Callvirt, Setter(typeof(BpfRunContext), nameof(BpfRunContext.InstructionsExecuted)));

            _il.Emit(OpCodes.Ldarg, ArgCode);
            _il.Emit(OpCodes.Ldfld, Field(typeof(JitCode), nameof(JitCode.Helpers)));
            _il.Emit(OpCodes.Ldc_I4, site);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Ldarg, ArgContext);
            for (int i = 1; i <= 5; i++) Load(i);
            _il.Emit(OpCodes.Callvirt, Method(typeof(BpfHelper), nameof(BpfHelper.Invoke)));
            Store(0);

            _il.Emit(OpCodes.Ldarg, ArgContext);
            _il.Emit(OpCodes.Callvirt, Getter(typeof(BpfRunContext), nameof(BpfRunContext.InstructionsExecuted)));
            EmitSetExecuted();
        }

        var pending = Stub(() =>
        {
            Spill(0, 9);
            StoreExecutedToRun();
            _il.Emit(OpCodes.Ldarg, ArgCode);
            _il.Emit(OpCodes.Ldarg, ArgContext);
            _il.Emit(OpCodes.Ldarg, ArgRegisters);
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldc_I4, pc);
            _il.Emit(OpCodes.Ldc_I4, site);
            _il.Emit(OpCodes.Ldarg, ArgDepth);
            _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), nameof(JitRuntime.HelperPending)));
            _il.Emit(OpCodes.Ret);
        });
        _il.Emit(OpCodes.Ldarg, ArgContext);
        _il.Emit(OpCodes.Ldfld, Field(typeof(BpfRunContext), nameof(BpfRunContext.PendingAction)));
        _il.Emit(OpCodes.Brtrue, pending);
    }

    /// <summary>callx: rare, so the dispatch happens in <see cref="JitRuntime.CallIndirect"/>.</summary>
    private void EmitCallx(int pc, int dst)
    {
        Spill(0, 9);
        StoreExecutedToRun();
        _il.Emit(OpCodes.Ldarg, ArgCode);
        _il.Emit(OpCodes.Ldarg, ArgContext);
        _il.Emit(OpCodes.Ldarg, ArgRegisters);
        _il.Emit(OpCodes.Ldarg, ArgRun);
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Ldc_I4, dst);
        Load(dst);
        _il.Emit(OpCodes.Ldarg, ArgDepth);
        _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), nameof(JitRuntime.CallIndirect)));
        Store(0);
        ReturnIfFailed();
        Reload(1, 5);
        LoadExecutedFromRun();
    }
}
