using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine.Interpreter;

/// <summary>
/// The reference interpreter's main loop: one switch over the opcode byte, registers in a
/// stack-allocated array, every load and store checked against the run context's regions.
/// It expects a program that passed <see cref="ProgramChecks"/>; opcodes it does not know are
/// reported as errors rather than trusted.
/// </summary>
[SkipLocalsInit] // the frame records need no zeroing; registers are zeroed by the caller
internal static unsafe class InterpreterLoop
{
    private struct Frame
    {
        public int ReturnPc;
        public ulong R6, R7, R8, R9, R10;
    }

    /// <summary>
    /// Executes from <paramref name="startPc"/> in the frame at <c>context.CallDepth</c> until the
    /// matching exit, and returns r0. On a fault returns 0 with <paramref name="error"/> set.
    /// </summary>
    public static ulong Execute<TTrace>(BpfRunContext context, ulong* r, int startPc, ref long executed,
        out BpfError? error, ref TTrace trace) where TTrace : struct, IInterpreterTrace
    {
        var program = context.Program!;
        Instruction[] codeArray = program.Instructions;
        ref Instruction code = ref MemoryMarshal.GetArrayDataReference(codeArray);
        int length = codeArray.Length;
        int baseDepth = context.CallDepth;
        Frame* frames = stackalloc Frame[BpfRunContext.MaxCallDepth + 1];
        int depth = baseDepth;
        long budget = context.InstructionBudget;
        // Hot state lives in locals that are never passed by reference, so the JIT keeps them in registers.
        int pc = startPc;
        long count = executed;
        error = null;

        while (true)
        {
            if ((uint)pc >= (uint)length)
            {
                error = BpfError.At(pc, $"execution fell off the end of the program (last instruction is {length - 1})");
                goto Stop;
            }
            if (++count > budget)
            {
                error = BpfError.At(pc, $"instruction budget of {budget} exhausted (a runaway loop?)");
                goto Stop;
            }
            ref readonly Instruction insn = ref Unsafe.Add(ref code, pc);
            if (typeof(TTrace) != typeof(NoTrace))
                trace.BeforeInstruction(pc, insn, new ReadOnlySpan<ulong>(r, 11), depth);

            // ProgramChecks rejected register numbers above 10; the register file has 16 slots anyway,
            // so even a 4-bit field can never index outside it.
            int dst = insn.Dst & 15, src = insn.Src & 15;
            pc++;

            switch (insn.Opcode)
            {
                // ---- ALU64 ----
                case 0x07: r[dst] += (ulong)(long)insn.Imm; break;
                case 0x0f: r[dst] += r[src]; break;
                case 0x17: r[dst] -= (ulong)(long)insn.Imm; break;
                case 0x1f: r[dst] -= r[src]; break;
                case 0x27: r[dst] *= (ulong)(long)insn.Imm; break;
                case 0x2f: r[dst] *= r[src]; break;
                case 0x37: r[dst] = insn.Offset == 1 ? AluSemantics.SDiv64(r[dst], (ulong)(long)insn.Imm) : AluSemantics.Div64(r[dst], (ulong)(long)insn.Imm); break;
                case 0x3f: r[dst] = insn.Offset == 1 ? AluSemantics.SDiv64(r[dst], r[src]) : AluSemantics.Div64(r[dst], r[src]); break;
                case 0x47: r[dst] |= (ulong)(long)insn.Imm; break;
                case 0x4f: r[dst] |= r[src]; break;
                case 0x57: r[dst] &= (ulong)(long)insn.Imm; break;
                case 0x5f: r[dst] &= r[src]; break;
                case 0x67: r[dst] <<= (insn.Imm & 63); break;
                case 0x6f: r[dst] <<= (int)(r[src] & 63); break;
                case 0x77: r[dst] >>= (insn.Imm & 63); break;
                case 0x7f: r[dst] >>= (int)(r[src] & 63); break;
                case 0x87: r[dst] = (ulong)-(long)r[dst]; break;
                case 0x97: r[dst] = insn.Offset == 1 ? AluSemantics.SMod64(r[dst], (ulong)(long)insn.Imm) : AluSemantics.Mod64(r[dst], (ulong)(long)insn.Imm); break;
                case 0x9f: r[dst] = insn.Offset == 1 ? AluSemantics.SMod64(r[dst], r[src]) : AluSemantics.Mod64(r[dst], r[src]); break;
                case 0xa7: r[dst] ^= (ulong)(long)insn.Imm; break;
                case 0xaf: r[dst] ^= r[src]; break;
                case 0xb7: r[dst] = (ulong)(long)insn.Imm; break;
                case 0xbf: r[dst] = insn.Offset == 0 ? r[src] : AluSemantics.SignExtend(r[src], insn.Offset); break;
                case 0xc7: r[dst] = (ulong)((long)r[dst] >> (insn.Imm & 63)); break;
                case 0xcf: r[dst] = (ulong)((long)r[dst] >> (int)(r[src] & 63)); break;
                case 0xd7: r[dst] = AluSemantics.Swap(r[dst], insn.Imm); break;

                // ---- ALU (32-bit, results zero-extended) ----
                case 0x04: r[dst] = (uint)((uint)r[dst] + (uint)insn.Imm); break;
                case 0x0c: r[dst] = (uint)((uint)r[dst] + (uint)r[src]); break;
                case 0x14: r[dst] = (uint)((uint)r[dst] - (uint)insn.Imm); break;
                case 0x1c: r[dst] = (uint)((uint)r[dst] - (uint)r[src]); break;
                case 0x24: r[dst] = (uint)((uint)r[dst] * (uint)insn.Imm); break;
                case 0x2c: r[dst] = (uint)((uint)r[dst] * (uint)r[src]); break;
                case 0x34: r[dst] = insn.Offset == 1 ? AluSemantics.SDiv32(r[dst], (uint)insn.Imm) : AluSemantics.Div32(r[dst], (uint)insn.Imm); break;
                case 0x3c: r[dst] = insn.Offset == 1 ? AluSemantics.SDiv32(r[dst], r[src]) : AluSemantics.Div32(r[dst], r[src]); break;
                case 0x44: r[dst] = (uint)r[dst] | (uint)insn.Imm; break;
                case 0x4c: r[dst] = (uint)r[dst] | (uint)r[src]; break;
                case 0x54: r[dst] = (uint)r[dst] & (uint)insn.Imm; break;
                case 0x5c: r[dst] = (uint)r[dst] & (uint)r[src]; break;
                case 0x64: r[dst] = (uint)r[dst] << (insn.Imm & 31); break;
                case 0x6c: r[dst] = (uint)r[dst] << (int)(r[src] & 31); break;
                case 0x74: r[dst] = (uint)r[dst] >> (insn.Imm & 31); break;
                case 0x7c: r[dst] = (uint)r[dst] >> (int)(r[src] & 31); break;
                case 0x84: r[dst] = (uint)-(int)r[dst]; break;
                case 0x94: r[dst] = insn.Offset == 1 ? AluSemantics.SMod32(r[dst], (uint)insn.Imm) : AluSemantics.Mod32(r[dst], (uint)insn.Imm); break;
                case 0x9c: r[dst] = insn.Offset == 1 ? AluSemantics.SMod32(r[dst], r[src]) : AluSemantics.Mod32(r[dst], r[src]); break;
                case 0xa4: r[dst] = (uint)r[dst] ^ (uint)insn.Imm; break;
                case 0xac: r[dst] = (uint)r[dst] ^ (uint)r[src]; break;
                case 0xb4: r[dst] = (uint)insn.Imm; break;
                case 0xbc: r[dst] = insn.Offset == 0 ? (uint)r[src] : (uint)AluSemantics.SignExtend(r[src], insn.Offset); break;
                case 0xc4: r[dst] = (uint)((int)r[dst] >> (insn.Imm & 31)); break;
                case 0xcc: r[dst] = (uint)((int)r[dst] >> (int)(r[src] & 31)); break;
                case 0xd4: r[dst] = AluSemantics.ByteSwapTo(r[dst], insn.Imm, toBigEndian: false); break;
                case 0xdc: r[dst] = AluSemantics.ByteSwapTo(r[dst], insn.Imm, toBigEndian: true); break;

                // ---- JMP (64-bit compares) ----
                case 0x05: pc += insn.Offset; break;
                case 0x15: if (r[dst] == (ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0x1d: if (r[dst] == r[src]) pc += insn.Offset; break;
                case 0x25: if (r[dst] > (ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0x2d: if (r[dst] > r[src]) pc += insn.Offset; break;
                case 0x35: if (r[dst] >= (ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0x3d: if (r[dst] >= r[src]) pc += insn.Offset; break;
                case 0x45: if ((r[dst] & (ulong)(long)insn.Imm) != 0) pc += insn.Offset; break;
                case 0x4d: if ((r[dst] & r[src]) != 0) pc += insn.Offset; break;
                case 0x55: if (r[dst] != (ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0x5d: if (r[dst] != r[src]) pc += insn.Offset; break;
                case 0x65: if ((long)r[dst] > (long)(ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0x6d: if ((long)r[dst] > (long)r[src]) pc += insn.Offset; break;
                case 0x75: if ((long)r[dst] >= (long)(ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0x7d: if ((long)r[dst] >= (long)r[src]) pc += insn.Offset; break;
                case 0xa5: if (r[dst] < (ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0xad: if (r[dst] < r[src]) pc += insn.Offset; break;
                case 0xb5: if (r[dst] <= (ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0xbd: if (r[dst] <= r[src]) pc += insn.Offset; break;
                case 0xc5: if ((long)r[dst] < (long)(ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0xcd: if ((long)r[dst] < (long)r[src]) pc += insn.Offset; break;
                case 0xd5: if ((long)r[dst] <= (long)(ulong)(long)insn.Imm) pc += insn.Offset; break;
                case 0xdd: if ((long)r[dst] <= (long)r[src]) pc += insn.Offset; break;

                // ---- JMP32 (compares of the low 32 bits) ----
                case 0x06: pc += insn.Imm; break; // gotol: 32-bit offset in imm
                case 0x16: if ((uint)r[dst] == (uint)insn.Imm) pc += insn.Offset; break;
                case 0x1e: if ((uint)r[dst] == (uint)r[src]) pc += insn.Offset; break;
                case 0x26: if ((uint)r[dst] > (uint)insn.Imm) pc += insn.Offset; break;
                case 0x2e: if ((uint)r[dst] > (uint)r[src]) pc += insn.Offset; break;
                case 0x36: if ((uint)r[dst] >= (uint)insn.Imm) pc += insn.Offset; break;
                case 0x3e: if ((uint)r[dst] >= (uint)r[src]) pc += insn.Offset; break;
                case 0x46: if (((uint)r[dst] & (uint)insn.Imm) != 0) pc += insn.Offset; break;
                case 0x4e: if (((uint)r[dst] & (uint)r[src]) != 0) pc += insn.Offset; break;
                case 0x56: if ((uint)r[dst] != (uint)insn.Imm) pc += insn.Offset; break;
                case 0x5e: if ((uint)r[dst] != (uint)r[src]) pc += insn.Offset; break;
                case 0x66: if ((int)r[dst] > insn.Imm) pc += insn.Offset; break;
                case 0x6e: if ((int)r[dst] > (int)r[src]) pc += insn.Offset; break;
                case 0x76: if ((int)r[dst] >= insn.Imm) pc += insn.Offset; break;
                case 0x7e: if ((int)r[dst] >= (int)r[src]) pc += insn.Offset; break;
                case 0xa6: if ((uint)r[dst] < (uint)insn.Imm) pc += insn.Offset; break;
                case 0xae: if ((uint)r[dst] < (uint)r[src]) pc += insn.Offset; break;
                case 0xb6: if ((uint)r[dst] <= (uint)insn.Imm) pc += insn.Offset; break;
                case 0xbe: if ((uint)r[dst] <= (uint)r[src]) pc += insn.Offset; break;
                case 0xc6: if ((int)r[dst] < insn.Imm) pc += insn.Offset; break;
                case 0xce: if ((int)r[dst] < (int)r[src]) pc += insn.Offset; break;
                case 0xd6: if ((int)r[dst] <= insn.Imm) pc += insn.Offset; break;
                case 0xde: if ((int)r[dst] <= (int)r[src]) pc += insn.Offset; break;

                // ---- loads ----
                case 0x61: { ulong a = r[src] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 4, false)) goto ReadFault4; r[dst] = Unsafe.ReadUnaligned<uint>((void*)a); break; }
                case 0x69: { ulong a = r[src] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 2, false)) goto ReadFault2; r[dst] = Unsafe.ReadUnaligned<ushort>((void*)a); break; }
                case 0x71: { ulong a = r[src] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 1, false)) goto ReadFault1; r[dst] = *(byte*)a; break; }
                case 0x79: { ulong a = r[src] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 8, false)) goto ReadFault8; r[dst] = Unsafe.ReadUnaligned<ulong>((void*)a); break; }
                case 0x81: { ulong a = r[src] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 4, false)) goto ReadFault4; r[dst] = (ulong)(long)Unsafe.ReadUnaligned<int>((void*)a); break; }
                case 0x89: { ulong a = r[src] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 2, false)) goto ReadFault2; r[dst] = (ulong)(long)Unsafe.ReadUnaligned<short>((void*)a); break; }
                case 0x91: { ulong a = r[src] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 1, false)) goto ReadFault1; r[dst] = (ulong)(long)*(sbyte*)a; break; }

                // ---- stores of an immediate ----
                case 0x62: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 4, true)) goto WriteFault4; Unsafe.WriteUnaligned((void*)a, (uint)insn.Imm); break; }
                case 0x6a: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 2, true)) goto WriteFault2; Unsafe.WriteUnaligned((void*)a, (ushort)insn.Imm); break; }
                case 0x72: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 1, true)) goto WriteFault1; *(byte*)a = (byte)insn.Imm; break; }
                case 0x7a: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 8, true)) goto WriteFault8; Unsafe.WriteUnaligned((void*)a, (ulong)(long)insn.Imm); break; }

                // ---- stores of a register ----
                case 0x63: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 4, true)) goto WriteFault4; Unsafe.WriteUnaligned((void*)a, (uint)r[src]); break; }
                case 0x6b: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 2, true)) goto WriteFault2; Unsafe.WriteUnaligned((void*)a, (ushort)r[src]); break; }
                case 0x73: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 1, true)) goto WriteFault1; *(byte*)a = (byte)r[src]; break; }
                case 0x7b: { ulong a = r[dst] + (ulong)(long)insn.Offset; if (!context.CanAccess(a, 8, true)) goto WriteFault8; Unsafe.WriteUnaligned((void*)a, r[src]); break; }

                // ---- atomics ----
                case 0xc3:
                case 0xdb:
                    error = Atomic(context, r, insn, dst, src, pc - 1);
                    if (error is not null) goto Stop;
                    break;

                // ---- 64-bit immediate loads ----
                case 0x18:
                    {
                        ref readonly Instruction next = ref Unsafe.Add(ref code, pc);
                        error = LoadImm64(context.Program!, pc - 1, insn, next, out r[dst]);
                        if (error is not null) goto Stop;
                        pc++;
                        break;
                    }

                // ---- calls and exit ----
                case 0x85:
                    if (insn.Src == CallSource.Local)
                    {
                        error = EnterFunction(context, r, frames, depth, baseDepth, pc, pc + insn.Imm);
                        if (error is not null) goto Stop;
                        depth++;
                        pc += insn.Imm;
                        break;
                    }
                    context.InstructionsExecuted = count;
                    error = CallHelper(context, r, insn.Imm, pc - 1);
                    count = context.InstructionsExecuted;
                    if (error is not null) goto Stop;
                    if (context.PendingAction != 0)
                    {
                        // Tail call (errors were handled above): continue at instruction 0 of the target, same frame.
                        if (depth != 0 || baseDepth != 0)
                        {
                            error = BpfError.At(pc - 1, "tail call from inside a bpf-to-bpf function or callback is not supported");
                            goto Stop;
                        }
                        program = context.TakeTailCall();
                        codeArray = program.Instructions;
                        code = ref MemoryMarshal.GetArrayDataReference(codeArray);
                        length = codeArray.Length;
                        pc = 0;
                    }
                    break;
                case 0x8d:
                    {
                        // callx: the register holds a function address (lddw src=func) or, as in the conformance suite, a helper id.
                        ulong target = r[dst];
                        if (PseudoAddress.TryDecodeFunction(target, out int function))
                        {
                            error = EnterFunction(context, r, frames, depth, baseDepth, pc, function);
                            if (error is not null) goto Stop;
                            depth++;
                            pc = function;
                            break;
                        }
                        if (target > int.MaxValue)
                        {
                            error = BpfError.At(pc - 1, $"callx target 0x{target:x} in r{dst} is neither a function address nor a helper id");
                            goto Stop;
                        }
                        context.InstructionsExecuted = count;
                        error = CallHelper(context, r, (int)target, pc - 1);
                        count = context.InstructionsExecuted;
                        if (error is not null) goto Stop;
                        if (context.PendingAction != 0)
                        {
                            error = BpfError.At(pc - 1, "tail call through callx is not supported");
                            goto Stop;
                        }
                        break;
                    }
                case 0x95:
                    if (depth == baseDepth)
                    {
                        executed = count;
                        return r[0];
                    }
                    {
                        depth--;
                        ref Frame f = ref frames[depth - baseDepth];
                        r[6] = f.R6; r[7] = f.R7; r[8] = f.R8; r[9] = f.R9; r[10] = f.R10;
                        pc = f.ReturnPc;
                        context.CallDepth = depth;
                    }
                    break;

                default:
                    error = BpfError.At(pc - 1, $"unknown or unsupported opcode 0x{insn.Opcode:x2}");
                    goto Stop;
            }
            continue;

        ReadFault1: error = context.AccessFault(pc - 1, r[src] + (ulong)(long)insn.Offset, 1, false); goto Stop;
        ReadFault2: error = context.AccessFault(pc - 1, r[src] + (ulong)(long)insn.Offset, 2, false); goto Stop;
        ReadFault4: error = context.AccessFault(pc - 1, r[src] + (ulong)(long)insn.Offset, 4, false); goto Stop;
        ReadFault8: error = context.AccessFault(pc - 1, r[src] + (ulong)(long)insn.Offset, 8, false); goto Stop;
        WriteFault1: error = context.AccessFault(pc - 1, r[dst] + (ulong)(long)insn.Offset, 1, true); goto Stop;
        WriteFault2: error = context.AccessFault(pc - 1, r[dst] + (ulong)(long)insn.Offset, 2, true); goto Stop;
        WriteFault4: error = context.AccessFault(pc - 1, r[dst] + (ulong)(long)insn.Offset, 4, true); goto Stop;
        WriteFault8: error = context.AccessFault(pc - 1, r[dst] + (ulong)(long)insn.Offset, 8, true); goto Stop;
        }

    Stop:
        executed = count;
        return 0;
    }

    private static BpfError? Atomic(BpfRunContext context, ulong* r, in Instruction insn, int dst, int src, int pc)
    {
        int size = insn.Opcode == 0xdb ? 8 : 4;
        ulong a = r[dst] + (ulong)(long)insn.Offset;
        if (!context.CanAccess(a, (ulong)size, true)) return context.AccessFault(pc, a, (ulong)size, true);
        if ((a & (ulong)(size - 1)) != 0)
            return BpfError.At(pc, $"atomic operation on misaligned address 0x{a:x} (needs {size}-byte alignment)");
        return AtomicSemantics.TryExecute(insn.Imm, size == 8, a, ref r[src], ref r[0])
            ? null : BpfError.At(pc, $"unknown atomic operation 0x{insn.Imm:x}");
    }

    /// <summary>bpf-to-bpf call: saves r6..r10 of the caller in its frame record, gives the callee a fresh stack frame.</summary>
    private static BpfError? EnterFunction(BpfRunContext context, ulong* r, Frame* frames, int depth, int baseDepth, int returnPc, int target)
    {
        if (depth + 1 >= BpfRunContext.MaxCallDepth)
            return BpfError.At(returnPc - 1, $"call depth would exceed {BpfRunContext.MaxCallDepth} frames");
        if ((uint)target >= (uint)context.Program!.Instructions.Length)
            return BpfError.At(returnPc - 1, $"call target {target} is outside the program");
        ref Frame f = ref frames[depth - baseDepth];
        f.ReturnPc = returnPc;
        f.R6 = r[6]; f.R7 = r[7]; f.R8 = r[8]; f.R9 = r[9]; f.R10 = r[10];
        context.CallDepth = depth + 1;
        context.PrepareFrame(depth + 1);
        r[10] = context.FramePointer(depth + 1);
        return null;
    }

    private static BpfError? CallHelper(BpfRunContext context, ulong* r, long id, int pc)
    {
        HelperDefinition? helper = context.Program!.Helpers.Find(id);
        if (helper is null) return BpfError.At(pc, $"call to unknown helper #{id}");
        r[0] = helper.Implementation(context, r[1], r[2], r[3], r[4], r[5]);
        return (context.PendingAction & BpfRunContext.PendingError) != 0
            ? BpfError.At(pc, $"helper {helper.Name}: {context.PendingErrorMessage}")
            : null;
    }

    private static BpfError? LoadImm64(BpfProgram program, int pc, in Instruction insn, in Instruction next, out ulong value)
    {
        switch (insn.Src)
        {
            case LoadImmSource.Imm64:
                value = Instruction.Imm64(insn, next);
                return null;
            case LoadImmSource.MapFd or LoadImmSource.MapIdx when (uint)insn.Imm < (uint)program.Maps.Count:
                value = PseudoAddress.MapHandle(insn.Imm);
                return null;
            case LoadImmSource.MapValue or LoadImmSource.MapIdxValue when (uint)insn.Imm < (uint)program.Maps.Count:
                {
                    var map = program.Maps[insn.Imm];
                    if (map.DirectValueAddress != 0 && (uint)next.Imm < map.ValueSize)
                    {
                        value = map.DirectValueAddress + (uint)next.Imm;
                        return null;
                    }
                    break;
                }
            case LoadImmSource.Func:
                value = PseudoAddress.Function(pc + 1 + insn.Imm);
                return null;
        }
        value = 0;
        return BpfError.At(pc, $"lddw with source {insn.Src} and imm {insn.Imm} does not name anything in this program");
    }
}
