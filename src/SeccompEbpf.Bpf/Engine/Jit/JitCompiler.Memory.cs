using System.Reflection.Emit;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>Loads, stores, atomics and lddw. Every access is checked as the interpreter checks it, unless proved safe.</summary>
internal sealed partial class JitCompiler
{
    private void EmitLoad(int pc, Instruction insn)
    {
        (int size, OpCode load, bool signExtend) = insn.Opcode switch
        {
            0x61 => (4, OpCodes.Ldind_U4, false),
            0x69 => (2, OpCodes.Ldind_U2, false),
            0x71 => (1, OpCodes.Ldind_U1, false),
            0x79 => (8, OpCodes.Ldind_I8, false),
            0x81 => (4, OpCodes.Ldind_I4, true),
            0x89 => (2, OpCodes.Ldind_I2, true),
            0x91 => (1, OpCodes.Ldind_I1, true),
            _ => (0, OpCodes.Nop, false),
        };
        if (size == 0) { EmitUnsupported(pc, insn); return; }
        EmitCheckedAddress(pc, insn.Src, insn.Offset, size, write: false);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Conv_U);
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(load);
        if (size < 8) _il.Emit(signExtend ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
        Store(insn.Dst);
    }

    private void EmitStore(int pc, Instruction insn)
    {
        if (insn.MemMode == MemMode.Atomic && insn.Class == OpClass.Stx && insn.MemSize is MemSize.W or MemSize.DW)
        {
            EmitAtomic(pc, insn);
            return;
        }
        if (insn.MemMode != MemMode.Mem) { EmitUnsupported(pc, insn); return; }
        int size = insn.MemSize switch { MemSize.B => 1, MemSize.H => 2, MemSize.W => 4, _ => 8 };
        EmitCheckedAddress(pc, insn.Dst, insn.Offset, size, write: true);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Conv_U);
        if (insn.Class == OpClass.St)
        {
            if (size == 8) _il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
            else _il.Emit(OpCodes.Ldc_I4, insn.Imm);
        }
        else
        {
            Load(insn.Src);
            if (size < 8) _il.Emit(OpCodes.Conv_U4);
        }
        if (size > 1) _il.Emit(OpCodes.Unaligned, (byte)1);
        _il.Emit(size switch { 1 => OpCodes.Stind_I1, 2 => OpCodes.Stind_I2, 4 => OpCodes.Stind_I4, _ => OpCodes.Stind_I8 });
    }

    private void EmitAtomic(int pc, Instruction insn)
    {
        bool is64 = insn.MemSize == MemSize.DW;
        int size = is64 ? 8 : 4;
        string? name = (insn.Imm & ~AtomicOp.Fetch) switch
        {
            AtomicOp.Add => "Add",
            AtomicOp.Or => "Or",
            AtomicOp.And => "And",
            AtomicOp.Xor => "Xor",
            _ when insn.Imm == AtomicOp.Xchg => "Xchg",
            _ when insn.Imm == AtomicOp.CmpXchg => "CmpXchg",
            _ => null,
        };
        EmitCheckedAddress(pc, insn.Dst, insn.Offset, size, write: true);

        long remaining = RemainingInBlock;
        var misaligned = Stub(() =>
        {
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldc_I4, pc);
            _il.Emit(OpCodes.Ldloc, _address);
            _il.Emit(OpCodes.Ldc_I4, size);
            EmitExecutedAt(remaining);
            _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), nameof(JitRuntime.MisalignedAtomic)));
            _il.Emit(OpCodes.Br, _returnZero);
        });
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I8, (long)(size - 1));
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Brtrue, misaligned);

        if (name is null)
        {
            _il.Emit(OpCodes.Br, FaultStub(pc, $"unknown atomic operation 0x{insn.Imm:x}"));
            return;
        }
        _il.Emit(OpCodes.Ldloc, _address);
        Load(insn.Src);
        if (name == "CmpXchg") Load(0);
        _il.Emit(OpCodes.Call, Method(typeof(JitAtomics), name + (is64 ? "64" : "32")));
        if (name == "CmpXchg") Store(0);
        else if ((insn.Imm & AtomicOp.Fetch) != 0) Store(insn.Src);
        else _il.Emit(OpCodes.Pop);
    }

    /// <summary>
    /// Leaves base+offset in the address local; unless proved safe, checks it: the stack inline
    /// (one subtraction and compare), any other region through <see cref="BpfRunContext.CanAccess"/>.
    /// </summary>
    private void EmitCheckedAddress(int pc, int baseRegister, short offset, int size, bool write)
    {
        Load(baseRegister);
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)offset);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Stloc, _address);
        if (_options.IsProvenSafe(pc)) return;

        var ok = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldloc, _stackLow);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ldc_I8, (long)(StackBytes - size));
        _il.Emit(OpCodes.Ble_Un, ok);

        // Then the context (the seccomp_data of a filter): offset < length && size <= length - offset.
        var general = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldloc, _contextStart!);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, _contextOffset!);
        _il.Emit(OpCodes.Ldloc, _contextLength!);
        _il.Emit(OpCodes.Bge_Un, general);
        _il.Emit(OpCodes.Ldc_I8, (long)size);
        _il.Emit(OpCodes.Ldloc, _contextLength!);
        _il.Emit(OpCodes.Ldloc, _contextOffset!);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Bgt_Un, general);
        if (write)
        {
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldfld, Field(typeof(JitRunState), nameof(JitRunState.ContextWritable)));
            _il.Emit(OpCodes.Brfalse, general);
        }
        _il.Emit(OpCodes.Br, ok);
        _il.MarkLabel(general);

        long remaining = RemainingInBlock;
        // A program that calls nothing runs without binding the run context (JitCode.RunsAlone):
        // the remaining regions come from the run state and the program, the fault is described later.
        var fault = Stub(() =>
        {
            if (!_runsAlone) _il.Emit(OpCodes.Ldarg, ArgContext);
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldc_I4, pc);
            _il.Emit(OpCodes.Ldloc, _address);
            _il.Emit(OpCodes.Ldc_I4, size);
            _il.Emit(write ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
            EmitExecutedAt(remaining);
            _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), _runsAlone ? nameof(JitRuntime.AccessFaultAlone) : nameof(JitRuntime.AccessFault)));
            _il.Emit(OpCodes.Br, _returnZero);
        });
        if (_runsAlone)
        {
            _il.Emit(OpCodes.Ldarg, ArgCode);
            _il.Emit(OpCodes.Ldarg, ArgContext);
            _il.Emit(OpCodes.Ldarg, ArgRun);
        }
        else _il.Emit(OpCodes.Ldarg, ArgContext);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I8, (long)size);
        _il.Emit(write ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), _runsAlone ? nameof(JitRuntime.CanAccessAlone) : nameof(JitRuntime.CanAccess)));
        _il.Emit(OpCodes.Brfalse, fault);
        _il.MarkLabel(ok);
    }

    /// <summary>lddw: every form is a constant known now (maps are resolved at compile time).</summary>
    private void EmitLoadImm64(int pc, Instruction insn, Instruction next)
    {
        ulong value;
        switch (insn.Src)
        {
            case LoadImmSource.Imm64: value = Instruction.Imm64(insn, next); break;
            case LoadImmSource.MapFd or LoadImmSource.MapIdx: value = PseudoAddress.MapHandle(insn.Imm); break;
            case LoadImmSource.MapValue or LoadImmSource.MapIdxValue:
                value = _program.Maps[insn.Imm].DirectValueAddress + (uint)next.Imm;
                break;
            case LoadImmSource.Func: value = PseudoAddress.Function(pc + 1 + insn.Imm); break;
            default:
                _il.Emit(OpCodes.Br, FaultStub(pc, $"lddw with source {insn.Src} and imm {insn.Imm} does not name anything in this program"));
                return;
        }
        _il.Emit(OpCodes.Ldc_I8, (long)value);
        Store(insn.Dst);
    }
}
