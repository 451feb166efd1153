namespace SeccompEbpf.Bpf.Isa;

/// <summary>
/// Structural checks of a decoded program, slot by slot (RFC 9669 §3-5, and what the Linux
/// kernel rejects before verification): the opcode exists for its class, registers are r0..r10,
/// fields an instruction does not use are zero, sdiv/smod/movsx/byte-swap/atomic variants are
/// legal, and every lddw has its second slot. Legacy packet loads get their own message.
/// Jump targets and reachability are the verifier's job, not checked here.
/// </summary>
public static class InstructionValidator
{
    public const string LegacyPacketLoadMessage = "legacy packet load (LD|ABS / LD|IND) is not supported in eBPF programs here";

    /// <summary>The program unchanged, or the first problem.</summary>
    public static BpfResult<IReadOnlyList<Instruction>> Validate(IReadOnlyList<Instruction> program)
    {
        foreach (var error in FindErrors(program))
            return error;
        return new BpfResult<IReadOnlyList<Instruction>>(program);
    }

    /// <summary>Every problem, in slot order (the second slot of a valid lddw is not checked on its own).</summary>
    public static IEnumerable<BpfError> FindErrors(IReadOnlyList<Instruction> program)
    {
        if (program.Count == 0)
        {
            yield return new BpfError("the program is empty: it needs at least one instruction (e.g. exit)");
            yield break;
        }
        for (int i = 0; i < program.Count; i++)
        {
            var insn = program[i];
            Instruction? next = i + 1 < program.Count ? program[i + 1] : null;
            if (Check(insn, next) is { } problem)
                yield return BpfError.At(i, problem);
            if (insn.IsLoadImm64) i++;
        }
    }

    /// <summary>What is wrong with one instruction (given the slot after it, for lddw), or null.</summary>
    public static string? Check(Instruction insn, Instruction? next) => insn.Class switch
    {
        OpClass.Alu or OpClass.Alu64 => CheckAlu(insn),
        OpClass.Jmp or OpClass.Jmp32 => CheckJump(insn),
        OpClass.Ld => CheckLoadImm(insn, next),
        OpClass.Ldx => CheckLoad(insn),
        OpClass.St => CheckStoreImmediate(insn),
        _ => CheckStoreRegister(insn),
    };

    private static string? CheckAlu(Instruction insn)
    {
        bool is64 = insn.Class == OpClass.Alu64;
        var op = insn.AluOp;
        if (op > AluOp.End) return Unknown(insn, "ALU operation codes stop at 0xd0 (END)");
        if (Register("dst", insn.Dst) is { } badDst) return badDst;
        switch (op)
        {
            case AluOp.Neg:
                if (insn.UsesSrcRegister) return Unknown(insn, "neg has no register-source form");
                return Unused(insn, src: true, offset: true, imm: true);
            case AluOp.End:
                if (is64 && insn.UsesSrcRegister) return Unknown(insn, "the 64-bit byte swap (bswap) has no to-big-endian form");
                if (insn.Imm is not (16 or 32 or 64)) return $"{Name(insn)}: byte swap width (imm) must be 16, 32 or 64, found {insn.Imm}";
                return Unused(insn, src: true, offset: true, imm: false);
            case AluOp.Div or AluOp.Mod:
                if (insn.Offset is not (0 or 1)) return $"{Name(insn)}: offset selects unsigned (0) or signed (1) {(op == AluOp.Div ? "division" : "modulo")}, found {insn.Offset}";
                return Operand(insn, offsetMustBeZero: false);
            case AluOp.Mov when insn.UsesSrcRegister && insn.Offset != 0:
                if (insn.Offset is not (8 or 16) && !(is64 && insn.Offset == 32))
                    return $"{Name(insn)}: unused field offset must be 0 (or 8 or 16{(is64 ? " or 32" : "")} for a sign-extending move), found {insn.Offset}";
                return Operand(insn, offsetMustBeZero: false);
            default:
                return Operand(insn, offsetMustBeZero: true);
        }
    }

    private static string? CheckJump(Instruction insn)
    {
        bool is32 = insn.Class == OpClass.Jmp32;
        var op = insn.JmpOp;
        if (op > JmpOp.Jsle) return Unknown(insn, "jump operation codes stop at 0xd0 (JSLE)");
        switch (op)
        {
            case JmpOp.Ja:
                if (insn.UsesSrcRegister) return Unknown(insn, "ja has no register-source form");
                // JMP|JA jumps by offset; JMP32|JA (gotol) by the 32-bit imm.
                return Unused(insn, dst: true, src: true, offset: is32, imm: !is32);
            case JmpOp.Call:
                if (is32) return Unknown(insn, "call exists only in the JMP class");
                if (insn.UsesSrcRegister)
                    return Register("callx target (dst)", insn.Dst) ?? Unused(insn, src: true, offset: true, imm: true);
                if (insn.Src is not (CallSource.Helper or CallSource.Local or CallSource.Kfunc))
                    return $"{Name(insn)}: src selects a helper (0), a local function (1) or a kernel function (2), found {insn.Src}";
                return Unused(insn, dst: true, offset: true);
            case JmpOp.Exit:
                if (is32 || insn.UsesSrcRegister) return Unknown(insn, "exit is only 0x95");
                return Unused(insn, dst: true, src: true, offset: true, imm: true);
            default:
                if (Register("dst", insn.Dst) is { } badDst) return badDst;
                return insn.UsesSrcRegister
                    ? Register("src", insn.Src) ?? Unused(insn, imm: true)
                    : Unused(insn, src: true);
        }
    }

    private static string? CheckLoadImm(Instruction insn, Instruction? next)
    {
        if (insn.MemMode is MemMode.Abs or MemMode.Ind) return LegacyPacketLoadMessage;
        if (insn.Opcode != Opcodes.LdDw) return Unknown(insn, "the only LD instruction is lddw (0x18)");
        if (Register("dst", insn.Dst) is { } badDst) return badDst;
        if (!LoadImmSource.IsValid(insn.Src))
            return $"{Name(insn)}: src must be 0 (value) or a pseudo kind 1..6 (map fd, map value, BTF id, function, map index, map index value), found {insn.Src}";
        if (insn.Offset != 0) return $"{Name(insn)}: unused field offset must be 0, found {insn.Offset}";
        if (next is not { } second) return $"{Name(insn)}: the program ends inside this 64-bit load; its second slot is missing";
        if (second.Opcode != 0 || second.Dst != 0 || second.Src != 0 || second.Offset != 0)
            return $"{Name(insn)}: the second slot must have opcode, registers and offset 0 (only imm holds the upper 32 bits), found {second}";
        if (insn.Src is LoadImmSource.MapFd or LoadImmSource.MapIdx && second.Imm != 0)
            return $"{Name(insn)}: a map reference has no value offset, the second slot's imm must be 0, found {second.Imm}";
        return null;
    }

    private static string? CheckLoad(Instruction insn)
    {
        bool plain = insn.MemMode == MemMode.Mem;
        bool signExtending = insn.MemMode == MemMode.MemSx && insn.MemSize != MemSize.DW;
        if (!plain && !signExtending) return Unknown(insn, "LDX takes mode MEM (any size) or MEMSX (b, h, w)");
        return Register("dst", insn.Dst) ?? Register("src", insn.Src) ?? Unused(insn, imm: true);
    }

    private static string? CheckStoreImmediate(Instruction insn)
    {
        if (insn.MemMode != MemMode.Mem) return Unknown(insn, "ST takes only mode MEM");
        return Register("dst", insn.Dst) ?? Unused(insn, src: true);
    }

    private static string? CheckStoreRegister(Instruction insn)
    {
        if (insn.MemMode == MemMode.Atomic)
        {
            if (insn.MemSize is not (MemSize.W or MemSize.DW)) return Unknown(insn, "atomic operations are 32- or 64-bit only");
            if (!AtomicOp.IsValid(insn.Imm))
                return $"{Name(insn)}: imm must name an atomic operation (add/or/and/xor, optionally with fetch 0x01, xchg 0xe1, cmpxchg 0xf1), found 0x{insn.Imm:x}";
            return Register("dst", insn.Dst) ?? Register("src", insn.Src);
        }
        if (insn.MemMode != MemMode.Mem) return Unknown(insn, "STX takes mode MEM or ATOMIC");
        return Register("dst", insn.Dst) ?? Register("src", insn.Src) ?? Unused(insn, imm: true);
    }

    /// <summary>K form: src unused; X form: imm unused and src a register.</summary>
    private static string? Operand(Instruction insn, bool offsetMustBeZero) =>
        insn.UsesSrcRegister
            ? Register("src", insn.Src) ?? Unused(insn, offset: offsetMustBeZero, imm: true)
            : Unused(insn, src: true, offset: offsetMustBeZero);

    private static string? Unused(Instruction insn, bool dst = false, bool src = false, bool offset = false, bool imm = false)
    {
        if (dst && insn.Dst != 0) return $"{Name(insn)}: unused field dst must be 0, found {insn.Dst}";
        if (src && insn.Src != 0) return $"{Name(insn)}: unused field src must be 0, found {insn.Src}";
        if (offset && insn.Offset != 0) return $"{Name(insn)}: unused field offset must be 0, found {insn.Offset}";
        if (imm && insn.Imm != 0) return $"{Name(insn)}: unused field imm must be 0, found {insn.Imm}";
        return null;
    }

    private static string? Register(string role, byte register) =>
        register <= 10 ? null : $"{role} register r{register} does not exist (registers are r0..r10)";

    private static string Unknown(Instruction insn, string why) => $"unknown opcode 0x{insn.Opcode:x2} in class {insn.Class.ToString().ToUpperInvariant()}: {why}";

    private static string Name(Instruction insn) => OpcodeNames.Describe(insn.Opcode);
}
