using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Verifier;
using static SeccompEbpf.Bpf.Tests.Verifier.I;
using static SeccompEbpf.Bpf.Tests.Verifier.VerifierCase;
using R = SeccompEbpf.Bpf.Verifier.VerifierRule;

namespace SeccompEbpf.Bpf.Tests.Verifier;

internal static partial class VerifierCorpus
{
    private static IEnumerable<VerifierCase> StaticCases()
    {
        yield return Accept("static: minimal mov+exit", Mov(R0, 0), Exit());
        yield return Reject("static: empty program", R.EmptyProgram);
        yield return Reject("static: jump past end", R.JumpOutOfRange, Mov(R0, 0), Ja(5), Exit());
        yield return Reject("static: jump before start", R.JumpOutOfRange, Mov(R0, 0), Ja(-3), Exit());
        yield return Reject("static: conditional jump past end", R.JumpOutOfRange, Mov(R0, 0), J(JmpOp.Jeq, R0, 0, 10), Exit());
        yield return Reject("static: jump into lddw second slot", R.JumpIntoLoadImm64, Mov(R0, 0), J(JmpOp.Jeq, R0, 0, 1), LdImm64(R1, 5), Exit());
        yield return Reject("static: unreachable instruction", R.Unreachable, Mov(R0, 0), Exit(), Mov(R0, 1), Exit());
        yield return Reject("static: unreachable after goto", R.Unreachable, Mov(R0, 0), Ja(1), Mov(R0, 1), Exit());
        yield return Reject("static: fall through past end", R.FallThroughEnd, Mov(R0, 0));
        yield return Reject("static: last instruction conditional", R.FallThroughEnd, Mov(R0, 0), Exit(), J(JmpOp.Jeq, R0, 0, -2));
        yield return Reject("static: lddw truncated", R.BadLoadImm64, Mov(R0, 0), new Instruction(Opcodes.LdDw, 1, 0, 0, 1));
        yield return Reject("static: lddw bad second slot", R.BadLoadImm64, new Instruction(Opcodes.LdDw, 1, 0, 0, 1), new Instruction(0x07, 0, 0, 0, 0), Mov(R0, 0), Exit());
        yield return Reject("static: unknown opcode", R.InvalidOpcode, new Instruction(0xff, 0, 0, 0, 0), Mov(R0, 0), Exit());
        yield return Reject("static: unknown alu op 0xe0", R.InvalidOpcode, new Instruction(0xe7, 0, 0, 0, 0), Exit());
        yield return Reject("static: unknown jump op 0xe0", R.InvalidOpcode, Mov(R0, 0), new Instruction(0xe5, 0, 0, 0, 0), Exit());
        yield return Reject("static: register r11", R.InvalidRegister, new Instruction(0xb7, 11, 0, 0, 0), Exit());
        yield return Reject("static: alu imm with src set", R.ReservedFields, new Instruction(0xb7, 0, 1, 0, 0), Exit());
        yield return Reject("static: alu reg with imm set", R.ReservedFields, Mov(R0, 0), new Instruction(0x0f, 0, 0, 0, 7), Exit());
        yield return Reject("static: alu offset set", R.ReservedFields, Mov(R0, 0), new Instruction(0x07, 0, 0, 3, 1), Exit());
        yield return Reject("static: exit with fields", R.ReservedFields, Mov(R0, 0), new Instruction(Opcodes.Exit, 1, 0, 0, 0));
        yield return Reject("static: call with dst", R.ReservedFields, new Instruction(Opcodes.Call, 1, 0, 0, 5), Mov(R0, 0), Exit());
        yield return Reject("static: div by constant zero", R.DivByZero, Mov(R0, 1), Alu64(AluOp.Div, R0, 0), Exit());
        yield return Reject("static: mod by constant zero", R.DivByZero, Mov(R0, 1), Alu32(AluOp.Mod, R0, 0), Exit());
        yield return Reject("static: shift by 64", R.InvalidShift, Mov(R0, 1), Alu64(AluOp.Lsh, R0, 64), Exit());
        yield return Reject("static: 32-bit shift by 32", R.InvalidShift, Mov(R0, 1), Alu32(AluOp.Rsh, R0, 32), Exit());
        yield return Reject("static: ldx with imm", R.ReservedFields, new Instruction(0x61, 0, 1, 0, 1), Exit());
        yield return Reject("static: ldx abs mode", R.InvalidOpcode, new Instruction(0x21, 0, 1, 0, 0), Exit());
        yield return Reject("static: legacy packet load", R.LegacyPacketLoad, MovR(R6, R1), new Instruction(0x20, 0, 0, 0, 0), Exit());
        yield return Reject("static: atomic on bytes", R.InvalidOpcode, Mov(R0, 0), new Instruction(0xd3, 10, 0, -8, 0), Exit());
        yield return Reject("static: bad atomic op", R.InvalidOpcode, Mov(R0, 0), new Instruction(0xdb, 10, 0, -8, 0x33), Exit());
        yield return Reject("static: kfunc call", R.Unsupported, new Instruction(Opcodes.Call, 0, CallSource.Kfunc, 0, 1), Mov(R0, 0), Exit());
        yield return Reject("static: callx", R.Unsupported, new Instruction(Opcodes.Callx, 0, 0, 0, 0), Mov(R0, 0), Exit());
        yield return Reject("static: back-edge for unprivileged", R.BackEdge, Mov(R0, 0), Add(R0, 1), J(JmpOp.Jlt, R0, 10, -2), Exit()) with { Privileged = false };
        yield return new VerifierCase("static: too many instructions for unprivileged",
            Enumerable.Repeat(Mov(R0, 0), 4096).Append(Exit()).ToArray(), R.TooManyInstructions, Privileged: false);
        yield return new VerifierCase("static: 4096 instructions fine for unprivileged",
            Enumerable.Repeat(Mov(R0, 0), 4095).Append(Exit()).ToArray(), null, Privileged: false);
        yield return Reject("static: byte swap width 8", R.ReservedFields, Mov(R0, 1), new Instruction(0xd4, 0, 0, 0, 8), Exit());
        yield return Accept("static: byte swap le16", Mov(R0, 0x1234), new Instruction(0xd4, 0, 0, 0, 16), Exit());
        yield return Accept("static: gotol", Mov(R0, 0), new Instruction(Opcodes.Ja32, 0, 0, 0, 0), Mov(R0, 1), Exit());
        yield return Reject("static: neg with imm", R.ReservedFields, Mov(R0, 0), new Instruction(0x87, 0, 0, 0, 1), Exit());
        yield return Reject("static: signed mod offset 2", R.ReservedFields, Mov(R0, 4), new Instruction(0x97, 0, 0, 2, 3), Exit());
        yield return Accept("static: signed div", Mov(R0, -8), new Instruction(0x37, 0, 0, 1, 3), Exit());
        yield return Reject("static: lddw btf id", R.Unsupported, new Instruction(Opcodes.LdDw, 1, LoadImmSource.BtfId, 0, 1), new Instruction(0, 0, 0, 0, 0), Mov(R0, 0), Exit());
        yield return Reject("static: lddw function pointer", R.Unsupported, new Instruction(Opcodes.LdDw, 1, LoadImmSource.Func, 0, 1), new Instruction(0, 0, 0, 0, 0), Mov(R0, 0), Exit());
    }
}
