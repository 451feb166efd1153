using System.Buffers.Binary;
using System.Reflection.Emit;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Engine.Jit;

/// <summary>ALU and ALU64: inline IL; division corner cases go through <see cref="AluSemantics"/> unless the divisor is a safe constant.</summary>
internal sealed partial class JitCompiler
{
    private void EmitAlu64(int pc, Instruction insn)
    {
        bool x = insn.UsesSrcRegister;
        int dst = insn.Dst, src = insn.Src;
        bool signed = insn.Offset == 1;
        switch (insn.AluOp)
        {
            case AluOp.Add: Binary64(dst, src, x, insn.Imm, OpCodes.Add); break;
            case AluOp.Sub: Binary64(dst, src, x, insn.Imm, OpCodes.Sub); break;
            case AluOp.Mul: Binary64(dst, src, x, insn.Imm, OpCodes.Mul); break;
            case AluOp.Or: Binary64(dst, src, x, insn.Imm, OpCodes.Or); break;
            case AluOp.And: Binary64(dst, src, x, insn.Imm, OpCodes.And); break;
            case AluOp.Xor: Binary64(dst, src, x, insn.Imm, OpCodes.Xor); break;
            case AluOp.Lsh: Shift(dst, src, x, insn.Imm, 63, OpCodes.Shl, is32: false); break;
            case AluOp.Rsh: Shift(dst, src, x, insn.Imm, 63, OpCodes.Shr_Un, is32: false); break;
            case AluOp.Arsh: Shift(dst, src, x, insn.Imm, 63, OpCodes.Shr, is32: false); break;
            case AluOp.Neg:
                Load(dst); _il.Emit(OpCodes.Neg); Store(dst);
                break;
            case AluOp.Div or AluOp.Mod:
                {
                    bool div = insn.AluOp == AluOp.Div;
                    if (!x && insn.Imm != 0 && !(signed && insn.Imm == -1))
                    {
                        // A constant divisor that cannot trap: plain IL division, which the runtime strength-reduces.
                        Load(dst);
                        _il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
                        _il.Emit(div ? (signed ? OpCodes.Div : OpCodes.Div_Un) : (signed ? OpCodes.Rem : OpCodes.Rem_Un));
                        Store(dst);
                        break;
                    }
                    Load(dst);
                    if (x) Load(src); else _il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
                    string name = div ? (signed ? nameof(AluSemantics.SDiv64) : nameof(AluSemantics.Div64))
                        : (signed ? nameof(AluSemantics.SMod64) : nameof(AluSemantics.Mod64));
                    _il.Emit(OpCodes.Call, Method(typeof(JitDivision), name));
                    Store(dst);
                    break;
                }
            case AluOp.Mov:
                if (!x) _il.Emit(OpCodes.Ldc_I8, (long)insn.Imm);
                else
                {
                    Load(src);
                    switch (insn.Offset)
                    {
                        case 0: break;
                        case 8: _il.Emit(OpCodes.Conv_I1); _il.Emit(OpCodes.Conv_I8); break;
                        case 16: _il.Emit(OpCodes.Conv_I2); _il.Emit(OpCodes.Conv_I8); break;
                        case 32: _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Conv_I8); break;
                        default: break; // AluSemantics.SignExtend leaves other widths unchanged
                    }
                }
                Store(dst);
                break;
            case AluOp.End:
                // ALU64 BPF_END is the unconditional byte swap (bswap16/32/64).
                Load(dst);
                EmitSwap(insn.Imm);
                Store(dst);
                break;
            default: EmitUnsupported(pc, insn); break;
        }
    }

    private void EmitAlu32(int pc, Instruction insn)
    {
        bool x = insn.UsesSrcRegister;
        int dst = insn.Dst, src = insn.Src;
        bool signed = insn.Offset == 1;
        switch (insn.AluOp)
        {
            case AluOp.Add: Binary32(dst, src, x, insn.Imm, OpCodes.Add); break;
            case AluOp.Sub: Binary32(dst, src, x, insn.Imm, OpCodes.Sub); break;
            case AluOp.Mul: Binary32(dst, src, x, insn.Imm, OpCodes.Mul); break;
            case AluOp.Or: Binary32(dst, src, x, insn.Imm, OpCodes.Or); break;
            case AluOp.And: Binary32(dst, src, x, insn.Imm, OpCodes.And); break;
            case AluOp.Xor: Binary32(dst, src, x, insn.Imm, OpCodes.Xor); break;
            case AluOp.Lsh: Shift(dst, src, x, insn.Imm, 31, OpCodes.Shl, is32: true); break;
            case AluOp.Rsh: Shift(dst, src, x, insn.Imm, 31, OpCodes.Shr_Un, is32: true); break;
            case AluOp.Arsh: Shift(dst, src, x, insn.Imm, 31, OpCodes.Shr, is32: true); break;
            case AluOp.Neg:
                Load(dst); _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Neg); _il.Emit(OpCodes.Conv_U8); Store(dst);
                break;
            case AluOp.Div or AluOp.Mod:
                {
                    bool div = insn.AluOp == AluOp.Div;
                    if (!x && insn.Imm != 0 && !(signed && insn.Imm == -1))
                    {
                        Load(dst);
                        _il.Emit(OpCodes.Conv_U4);
                        _il.Emit(OpCodes.Ldc_I4, insn.Imm);
                        _il.Emit(div ? (signed ? OpCodes.Div : OpCodes.Div_Un) : (signed ? OpCodes.Rem : OpCodes.Rem_Un));
                        _il.Emit(OpCodes.Conv_U8);
                        Store(dst);
                        break;
                    }
                    Load(dst);
                    if (x) Load(src); else _il.Emit(OpCodes.Ldc_I8, (long)(uint)insn.Imm);
                    string name = div ? (signed ? nameof(AluSemantics.SDiv32) : nameof(AluSemantics.Div32))
                        : (signed ? nameof(AluSemantics.SMod32) : nameof(AluSemantics.Mod32));
                    _il.Emit(OpCodes.Call, Method(typeof(JitDivision), name));
                    Store(dst);
                    break;
                }
            case AluOp.Mov:
                if (!x) _il.Emit(OpCodes.Ldc_I8, (long)(uint)insn.Imm);
                else
                {
                    Load(src);
                    switch (insn.Offset)
                    {
                        case 8: _il.Emit(OpCodes.Conv_I1); break;
                        case 16: _il.Emit(OpCodes.Conv_I2); break;
                        default: _il.Emit(OpCodes.Conv_U4); break; // plain mov, or sign extension from 32 bits (a no-op here)
                    }
                    _il.Emit(OpCodes.Conv_U8); // zero-extends the 32-bit result
                }
                Store(dst);
                break;
            case AluOp.End:
                Load(dst);
                if (insn.Opcode == 0xdc) EmitSwap(insn.Imm);
                else EmitTruncate(insn.Imm);
                Store(dst);
                break;
            default: EmitUnsupported(pc, insn); break;
        }
    }

    private void Binary64(int dst, int src, bool x, int imm, OpCode op)
    {
        Load(dst);
        if (x) Load(src); else _il.Emit(OpCodes.Ldc_I8, (long)imm);
        _il.Emit(op);
        Store(dst);
    }

    private void Binary32(int dst, int src, bool x, int imm, OpCode op)
    {
        Load(dst);
        _il.Emit(OpCodes.Conv_U4);
        if (x) { Load(src); _il.Emit(OpCodes.Conv_U4); } else _il.Emit(OpCodes.Ldc_I4, imm);
        _il.Emit(op);
        _il.Emit(OpCodes.Conv_U8);
        Store(dst);
    }

    private void Shift(int dst, int src, bool x, int imm, int mask, OpCode op, bool is32)
    {
        Load(dst);
        if (is32) _il.Emit(OpCodes.Conv_U4);
        if (x)
        {
            Load(src);
            _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Ldc_I4, mask);
            _il.Emit(OpCodes.And);
        }
        else _il.Emit(OpCodes.Ldc_I4, imm & mask);
        _il.Emit(op);
        if (is32) _il.Emit(OpCodes.Conv_U8);
        Store(dst);
    }

    /// <summary>Byte swap of the low <paramref name="bits"/> (16, 32, anything else = 64), zero-extended.</summary>
    private void EmitSwap(int bits)
    {
        switch (bits)
        {
            case 16:
                _il.Emit(OpCodes.Conv_U2);
                _il.Emit(OpCodes.Call, Method(typeof(BinaryPrimitives), nameof(BinaryPrimitives.ReverseEndianness), typeof(ushort)));
                _il.Emit(OpCodes.Conv_U8);
                break;
            case 32:
                _il.Emit(OpCodes.Conv_U4);
                _il.Emit(OpCodes.Call, Method(typeof(BinaryPrimitives), nameof(BinaryPrimitives.ReverseEndianness), typeof(uint)));
                _il.Emit(OpCodes.Conv_U8);
                break;
            default:
                _il.Emit(OpCodes.Call, Method(typeof(BinaryPrimitives), nameof(BinaryPrimitives.ReverseEndianness), typeof(ulong)));
                break;
        }
    }

    /// <summary>to-le on this little-endian host: keep the low <paramref name="bits"/>.</summary>
    private void EmitTruncate(int bits)
    {
        switch (bits)
        {
            case 16: _il.Emit(OpCodes.Conv_U2); _il.Emit(OpCodes.Conv_U8); break;
            case 32: _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Conv_U8); break;
            default: break;
        }
    }
}
