using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>
/// Translates one validated program into one dynamic method (see <see cref="JitBody"/>). Each eBPF
/// register is an IL local, so the runtime's register allocator maps them to machine registers;
/// each basic block adds its length to an instruction counter and checks it against the budget;
/// loads and stores check their address inline (stack first, then the run's other regions) unless
/// a verifier proved them safe. Faults and rare operations go to <see cref="JitRuntime"/> through
/// cold stubs emitted after the body.
/// </summary>
internal sealed partial class JitCompiler
{
    private const int ArgCode = 0, ArgContext = 1, ArgRegisters = 2, ArgRun = 3, ArgEntry = 4, ArgDepth = 5;
    private const int StackBytes = BpfRunContext.StackFrameSize * BpfRunContext.MaxCallDepth;

    private readonly BpfProgram _program;
    private readonly Instruction[] _code;
    private readonly BlockLayout _layout;
    private readonly JitOptions _options;
    private readonly DynamicMethod _method;
    private readonly ILGenerator _il;
    private readonly LocalBuilder[] _r = new LocalBuilder[11];
    // The count is kept as what is left of the budget (budget - executed): each block then costs one
    // subtraction and a sign test, which matters in tight loops.
    private readonly LocalBuilder _remaining, _budget, _stackLow, _address;
    // The prologue loaded the stack's base into _stackLow (the program touches memory or names r10).
    private bool _stackLowLoaded;
    // Declared on first use: the context region, checked inline after the stack.
    private LocalBuilder? _contextStart, _contextLength, _contextOffset;
    private readonly Label[] _labels;
    private readonly Label _returnZero;
    private readonly List<(Label Label, Action Emit)> _stubs = new();
    private readonly List<HelperDefinition> _callSites = new();

    // Position of the instruction being compiled inside its block, for exact counts at faults.
    private int _blockStart, _blockLength, _ordinalInBlock;
    // No call of any kind: the run context is never bound (see JitCode.RunsAlone).
    private readonly bool _runsAlone;
    // A local call or callx: a caller in this method reads r1..r5 back after a callee's exit.
    private readonly bool _spillAtExit;
    // The map index r1 holds as a constant (lddw of a map handle earlier in this block), or -1.
    private int _r1Map = -1;
    // Registers some instruction names (bit n = rn); the prologue loads or computes only those.
    private readonly int _namedRegisters;

    private JitCompiler(BpfProgram program, JitOptions options)
    {
        _program = program;
        _code = program.Instructions;
        _layout = BlockLayout.Of(_code, options.AdditionalEntryPoints?.Where(e => (uint)e < (uint)_code.Length));
        _options = options;
        _runsAlone = !Enumerable.Range(0, _code.Length).Any(i => !_layout.IsSecondSlot[i] && (_code[i].IsCall || _code[i].IsCallx));
        _spillAtExit = Enumerable.Range(0, _code.Length).Any(i => !_layout.IsSecondSlot[i] && (_code[i].IsLocalCall || _code[i].IsCallx));
        _namedRegisters = NamedRegisters(_code, _layout);
        _method = new DynamicMethod($"bpf_{program.Name}", typeof(ulong),
            [typeof(JitCode), typeof(BpfRunContext), typeof(ulong*), typeof(JitRunState*), typeof(int), typeof(int)],
            typeof(JitCode).Module, skipVisibility: true)
        {
            // Every local is written before it is read (registers are loaded from the register block).
            InitLocals = false,
        };
        _il = _method.GetILGenerator(256 + _code.Length * 48);
        for (int i = 0; i < _r.Length; i++) _r[i] = _il.DeclareLocal(typeof(ulong));
        _remaining = _il.DeclareLocal(typeof(long));
        _budget = _il.DeclareLocal(typeof(long));
        _stackLow = _il.DeclareLocal(typeof(ulong));
        _address = _il.DeclareLocal(typeof(ulong));
        _labels = new Label[_code.Length + 1];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = _il.DefineLabel();
        _returnZero = _il.DefineLabel();
    }

    /// <summary>Compiles <paramref name="program"/>, which must have passed <see cref="ProgramChecks"/>.</summary>
    public static JitCode Compile(BpfProgram program, JitOptions options)
    {
        var compiler = new JitCompiler(program, options);
        compiler.EmitPrologue();
        compiler.EmitBody();
        compiler.EmitStubs();
        var code = new JitCode(program, compiler._layout, compiler._callSites.ToArray(), compiler._runsAlone,
            MainFrameWriteExtent(program.Instructions, compiler._layout));
        code.Body = (JitBody)compiler._method.CreateDelegate(typeof(JitBody), code);
        return code;
    }

    private void EmitPrologue()
    {
        // Without a budget the count stays 0 (runs report 0 instructions), so nothing is loaded.
        if (_options.EnforceInstructionBudget)
        {
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldfld, Field(typeof(JitRunState), nameof(JitRunState.Budget)));
            _il.Emit(OpCodes.Stloc, _budget);
            LoadExecutedFromRun();
        }
        bool accessesMemory = _code.Any(i => i.Class is OpClass.Ldx or OpClass.St or OpClass.Stx);
        _stackLowLoaded = accessesMemory || (_namedRegisters & (1 << 10)) != 0;
        if (_stackLowLoaded)
        {
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldfld, Field(typeof(JitRunState), nameof(JitRunState.StackBase)));
            _il.Emit(OpCodes.Stloc, _stackLow);
        }
        if (accessesMemory)
        {
            _contextStart = _il.DeclareLocal(typeof(ulong));
            _contextLength = _il.DeclareLocal(typeof(ulong));
            _contextOffset = _il.DeclareLocal(typeof(ulong));
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldfld, Field(typeof(JitRunState), nameof(JitRunState.ContextStart)));
            _il.Emit(OpCodes.Stloc, _contextStart);
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldfld, Field(typeof(JitRunState), nameof(JitRunState.ContextLength)));
            _il.Emit(OpCodes.Stloc, _contextLength);
        }
        // Every function starts with only r1..r5 and r10 defined (ProgramChecks refuses reading r0 or
        // r6..r9 before writing them), so only the arguments the program names come from the register block.
        for (int i = 1; i <= 5; i++)
            if ((_namedRegisters & (1 << i)) != 0) Reload(i, i);

        if (_layout.Entries.Length > 1)
        {
            // Functions other than the main one are entered with their instruction index.
            foreach (int entry in _layout.Entries)
            {
                _il.Emit(OpCodes.Ldarg, ArgEntry);
                _il.Emit(OpCodes.Ldc_I4, entry);
                _il.Emit(OpCodes.Beq, _labels[entry]);
            }
            _il.Emit(OpCodes.Br, _returnZero); // callers check entries before calling; never taken
        }
    }

    private void EmitBody()
    {
        for (int pc = 0; pc < _code.Length; pc++)
        {
            if (_layout.IsSecondSlot[pc]) continue;
            _il.MarkLabel(_labels[pc]); // jumps land here, before the block's count
            if (_layout.IsLeader[pc]) BeginBlock(pc);
            EmitInstruction(pc, _code[pc]);
            TrackR1(_code[pc]);
            _ordinalInBlock++;
        }
        _il.MarkLabel(_labels[_code.Length]); // unreachable: validated programs end with exit or ja
        _il.Emit(OpCodes.Br, _returnZero);
    }

    /// <summary>Counts the whole block up front; the budget check names the exact instruction if it is exceeded inside.</summary>
    private void BeginBlock(int start)
    {
        _blockStart = start;
        _blockLength = _layout.CountFrom(start);
        _ordinalInBlock = 0;
        _r1Map = -1; // another path may reach this block
        if (!_options.EnforceInstructionBudget) return;
        int length = _blockLength;
        var exhausted = Stub(() =>
        {
            _il.Emit(OpCodes.Ldarg, ArgCode);
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldc_I4, start);
            EmitExecutedAt(length); // the count before this block
            _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), nameof(JitRuntime.BudgetExhausted)));
            _il.Emit(OpCodes.Br, _returnZero);
        });
        // executed + length > budget  <=>  (budget - executed) - length < 0
        _il.Emit(OpCodes.Ldloc, _remaining);
        _il.Emit(OpCodes.Ldc_I8, (long)_blockLength);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _remaining);
        _il.Emit(OpCodes.Ldloc, _remaining);
        _il.Emit(OpCodes.Ldc_I8, 0L);
        _il.Emit(OpCodes.Blt, exhausted);
    }

    /// <summary>Bytes below r10 that stores and atomics may write (calls are not considered: they make a run bound).</summary>
    private static int MainFrameWriteExtent(Instruction[] code, BlockLayout layout)
    {
        int extent = 0;
        for (int i = 0; i < code.Length; i++)
        {
            if (layout.IsSecondSlot[i] || code[i].Class is not (OpClass.St or OpClass.Stx)) continue;
            // Through another register the store may hit any byte of the frame.
            if (code[i].Dst != 10) return BpfRunContext.StackFrameSize;
            extent = Math.Max(extent, -code[i].Offset);
        }
        return Math.Min(extent, BpfRunContext.StackFrameSize);
    }

    /// <summary>Follows r1 inside a block: set by lddw of a map handle, forgotten at anything that may write it.</summary>
    private void TrackR1(Instruction insn)
    {
        if (insn.IsLoadImm64 && insn.Dst == 1 && insn.Src is LoadImmSource.MapIdx or LoadImmSource.MapFd) _r1Map = insn.Imm;
        else if (MayWriteR1(insn)) _r1Map = -1;
    }

    private static bool MayWriteR1(Instruction insn) => insn.Class switch
    {
        OpClass.Alu or OpClass.Alu64 or OpClass.Ldx or OpClass.Ld => insn.Dst == 1,
        OpClass.Stx => insn.MemMode == MemMode.Atomic && insn.Src == 1,
        OpClass.St => false,
        _ => insn.IsCall || insn.IsCallx,
    };

    /// <summary>Registers named by any instruction; a call or callx names r1..r5 (they are spilled around it).</summary>
    private static int NamedRegisters(Instruction[] code, BlockLayout layout)
    {
        int named = 0;
        for (int i = 0; i < code.Length; i++)
        {
            if (layout.IsSecondSlot[i]) continue;
            named |= 1 << (code[i].Dst & 15) | 1 << (code[i].Src & 15);
            if (code[i].IsCall || code[i].IsCallx) named |= 0b111111;
        }
        return named & 0x7ff;
    }

    /// <summary>Instructions of the current block after the one being compiled (not yet executed at a fault).</summary>
    private int RemainingInBlock => _blockLength - _ordinalInBlock - 1;

    private Label Stub(Action emit)
    {
        var label = _il.DefineLabel();
        _stubs.Add((label, emit));
        return label;
    }

    private void EmitStubs()
    {
        for (int i = 0; i < _stubs.Count; i++)
        {
            _il.MarkLabel(_stubs[i].Label);
            _stubs[i].Emit();
        }
        _il.MarkLabel(_returnZero);
        _il.Emit(OpCodes.Ldc_I8, 0L);
        _il.Emit(OpCodes.Ret);
    }

    /// <summary>A cold stub that records a fault at <paramref name="pc"/> with the interpreter's instruction count, then returns.</summary>
    private Label FaultStub(int pc, string message)
    {
        long remaining = RemainingInBlock;
        return Stub(() =>
        {
            _il.Emit(OpCodes.Ldarg, ArgRun);
            _il.Emit(OpCodes.Ldc_I4, pc);
            _il.Emit(OpCodes.Ldstr, message);
            EmitExecutedAt(remaining);
            _il.Emit(OpCodes.Call, Method(typeof(JitRuntime), nameof(JitRuntime.Fault)));
            _il.Emit(OpCodes.Br, _returnZero);
        });
    }

    /// <summary>Pushes the count the interpreter would have at this instruction: the block was counted whole on entry.</summary>
    private void EmitExecutedAt(long remainingInBlock)
    {
        if (!_options.EnforceInstructionBudget)
        {
            _il.Emit(OpCodes.Ldc_I8, 0L); // nothing is counted without a budget
            return;
        }
        // budget - remaining - remainingInBlock
        _il.Emit(OpCodes.Ldloc, _budget);
        _il.Emit(OpCodes.Ldloc, _remaining);
        _il.Emit(OpCodes.Sub);
        if (remainingInBlock != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, remainingInBlock);
            _il.Emit(OpCodes.Sub);
        }
    }

    /// <summary>Pops an instruction count and makes it the current one.</summary>
    private void EmitSetExecuted()
    {
        if (!_options.EnforceInstructionBudget)
        {
            _il.Emit(OpCodes.Pop);
            return;
        }
        _il.Emit(OpCodes.Stloc, _remaining); // temporarily the count
        _il.Emit(OpCodes.Ldloc, _budget);
        _il.Emit(OpCodes.Ldloc, _remaining);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _remaining);
    }

    private void EmitInstruction(int pc, Instruction insn)
    {
        switch (insn.Class)
        {
            case OpClass.Alu64: EmitAlu64(pc, insn); break;
            case OpClass.Alu: EmitAlu32(pc, insn); break;
            case OpClass.Jmp or OpClass.Jmp32: EmitJump(pc, insn); break;
            case OpClass.Ldx: EmitLoad(pc, insn); break;
            case OpClass.St or OpClass.Stx: EmitStore(pc, insn); break;
            case OpClass.Ld when insn.IsLoadImm64: EmitLoadImm64(pc, insn, _code[pc + 1]); break;
            default: EmitUnsupported(pc, insn); break;
        }
    }

    private void EmitUnsupported(int pc, Instruction insn) =>
        _il.Emit(OpCodes.Br, FaultStub(pc, $"unknown or unsupported opcode 0x{insn.Opcode:x2}"));

    // ---- register block and small IL helpers ----

    private void Load(int register)
    {
        if ((register & 15) != 10)
        {
            _il.Emit(OpCodes.Ldloc, _r[register & 15]);
            return;
        }
        // r10 is recomputed at each use instead of living in a local: with r10 also used as a
        // narrow value (w10 in ALU32, a 16-bit store of r10), .NET's JIT was seen to narrow that
        // local in large methods, truncating frame addresses (differential test, seed 20261128, program 2607).
        EmitFrameTop();
    }

    /// <summary>r10 = top of the frame at this depth: frames grow down from the top of the stack block.</summary>
    private void EmitFrameTop()
    {
        _il.Emit(OpCodes.Ldloc, _stackLow);
        _il.Emit(OpCodes.Ldc_I4, BpfRunContext.MaxCallDepth);
        _il.Emit(OpCodes.Ldarg, ArgDepth);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ldc_I4, BpfRunContext.StackFrameSize);
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Add);
    }
    private void Store(int register) => _il.Emit(OpCodes.Stloc, _r[register & 15]);

    /// <summary>Writes r<paramref name="from"/>..r<paramref name="to"/> to the register block.</summary>
    private void Spill(int from, int to)
    {
        for (int i = from; i <= to; i++)
        {
            _il.Emit(OpCodes.Ldarg, ArgRegisters);
            if (i > 0) { _il.Emit(OpCodes.Ldc_I4, i * 8); _il.Emit(OpCodes.Add); }
            _il.Emit(OpCodes.Ldloc, _r[i]);
            _il.Emit(OpCodes.Stind_I8);
        }
    }

    private void Reload(int from, int to)
    {
        for (int i = from; i <= to; i++)
        {
            _il.Emit(OpCodes.Ldarg, ArgRegisters);
            if (i > 0) { _il.Emit(OpCodes.Ldc_I4, i * 8); _il.Emit(OpCodes.Add); }
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _r[i]);
        }
    }

    private void StoreExecutedToRun()
    {
        if (!_options.EnforceInstructionBudget) return; // the count stays 0
        _il.Emit(OpCodes.Ldarg, ArgRun);
        EmitExecutedAt(0);
        _il.Emit(OpCodes.Stfld, Field(typeof(JitRunState), nameof(JitRunState.Executed)));
    }

    private void LoadExecutedFromRun()
    {
        if (!_options.EnforceInstructionBudget) return;
        _il.Emit(OpCodes.Ldarg, ArgRun);
        _il.Emit(OpCodes.Ldfld, Field(typeof(JitRunState), nameof(JitRunState.Executed)));
        EmitSetExecuted();
    }

    /// <summary>After a call that may have failed the run: return at once if it did.</summary>
    private void ReturnIfFailed()
    {
        _il.Emit(OpCodes.Ldarg, ArgRun);
        _il.Emit(OpCodes.Ldfld, Field(typeof(JitRunState), nameof(JitRunState.Failed)));
        _il.Emit(OpCodes.Brtrue, _returnZero);
    }

    // Reflection lookups are cached: compile cost matters for supervisors that load many filters.
    private static readonly ConcurrentDictionary<(Type, string, Type?), MemberInfo> s_members = new();

    private static FieldInfo Field(Type type, string name) =>
        (FieldInfo)s_members.GetOrAdd((type, "F:" + name, null), key =>
            key.Item1.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new MissingFieldException(type.Name, name));

    private static MethodInfo Method(Type type, string name, Type? parameter = null) =>
        (MethodInfo)s_members.GetOrAdd((type, "M:" + name, parameter), key =>
            (parameter is null
                ? key.Item1.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                : key.Item1.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static, [parameter]))
            ?? throw new MissingMethodException(type.Name, name));

    private static MethodInfo Getter(Type type, string name) =>
        (MethodInfo)s_members.GetOrAdd((type, "G:" + name, null), _ =>
            type.GetProperty(name)?.GetMethod ?? throw new MissingMethodException(type.Name, "get_" + name));

    private static MethodInfo Setter(Type type, string name) =>
        (MethodInfo)s_members.GetOrAdd((type, "S:" + name, null), _ =>
            type.GetProperty(name)?.SetMethod ?? throw new MissingMethodException(type.Name, "set_" + name));
}
