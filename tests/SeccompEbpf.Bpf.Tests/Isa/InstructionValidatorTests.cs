using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Tests.Conformance;

namespace SeccompEbpf.Bpf.Tests.Isa;

public class InstructionValidatorTests
{
    private static readonly Instruction Exit = new(Opcodes.Exit, 0, 0, 0, 0);

    private static BpfError? FirstError(params Instruction[] program) =>
        InstructionValidator.FindErrors(program).FirstOrDefault();

    [Theory]
    [InlineData(0x07, 0, 0, 0, 1)]        // add r0, 1
    [InlineData(0x0f, 0, 10, 0, 0)]       // add r0, r10
    [InlineData(0x3c, 0, 1, 1, 0)]        // sdiv32 w0, w1
    [InlineData(0x97, 0, 0, 1, 3)]        // smod r0, 3
    [InlineData(0xbc, 0, 1, 8, 0)]        // movsx w0, (s8)w1
    [InlineData(0xbf, 0, 1, 32, 0)]       // movsx r0, (s32)r1
    [InlineData(0xdc, 0, 0, 0, 16)]       // be16
    [InlineData(0xd7, 0, 0, 0, 64)]       // bswap64
    [InlineData(0x87, 0, 0, 0, 0)]        // neg r0
    [InlineData(0x05, 0, 0, -1, 0)]       // ja -1
    [InlineData(0x06, 0, 0, 0, -70000)]   // gotol
    [InlineData(0x85, 0, 0, 0, 1)]        // call helper 1
    [InlineData(0x85, 0, 1, 0, 5)]        // call local
    [InlineData(0x8d, 2, 0, 0, 0)]        // callx r2
    [InlineData(0x1e, 1, 2, 5, 0)]        // jeq32 w1, w2
    [InlineData(0x91, 0, 1, -4, 0)]       // ldxsb
    [InlineData(0x72, 10, 0, -1, 7)]      // stb
    [InlineData(0xdb, 10, 1, -8, 0xf1)]   // cmpxchg
    [InlineData(0xc3, 10, 1, -8, 0x41)]   // fetch or 32
    public void Accepts_valid_instructions(int opcode, int dst, int src, int offset, int imm) =>
        Assert.Null(FirstError(new Instruction((byte)opcode, (byte)dst, (byte)src, (short)offset, imm), Exit));

    [Theory]
    [InlineData(0x04, 0, 1, 0, 1, "unused field src must be 0, found 1")]
    [InlineData(0x0c, 0, 1, 0, 1, "unused field imm must be 0, found 1")]
    [InlineData(0x07, 0, 0, 2, 1, "unused field offset must be 0, found 2")]
    [InlineData(0x3f, 0, 1, 2, 0, "signed (1) division, found 2")]
    [InlineData(0xbc, 0, 1, 32, 0, "or 8 or 16 for a sign-extending move), found 32")]
    [InlineData(0xbf, 0, 1, 4, 0, "or 8 or 16 or 32 for a sign-extending move), found 4")]
    [InlineData(0xb7, 0, 0, 8, 1, "unused field offset must be 0")]
    [InlineData(0xd4, 0, 0, 0, 8, "width (imm) must be 16, 32 or 64, found 8")]
    [InlineData(0xdf, 0, 0, 0, 16, "no to-big-endian form")]
    [InlineData(0xd4, 0, 1, 0, 16, "unused field src")]
    [InlineData(0x8f, 0, 1, 0, 0, "neg has no register-source form")]
    [InlineData(0x87, 0, 0, 0, 1, "unused field imm")]
    [InlineData(0xe7, 0, 0, 0, 0, "unknown opcode 0xe7")]
    [InlineData(0x07, 11, 0, 0, 0, "dst register r11 does not exist")]
    [InlineData(0x0f, 0, 12, 0, 0, "src register r12 does not exist")]
    [InlineData(0x05, 0, 0, 1, 1, "unused field imm must be 0, found 1")]
    [InlineData(0x05, 1, 0, 1, 0, "unused field dst")]
    [InlineData(0x06, 0, 0, 1, 1, "unused field offset")]
    [InlineData(0x0d, 0, 0, 1, 0, "ja has no register-source form")]
    [InlineData(0x85, 1, 0, 0, 1, "unused field dst")]
    [InlineData(0x85, 0, 0, 1, 1, "unused field offset")]
    [InlineData(0x85, 0, 3, 0, 1, "found 3")]
    [InlineData(0x8d, 2, 0, 0, 1, "unused field imm")]
    [InlineData(0x86, 0, 0, 0, 1, "call exists only in the JMP class")]
    [InlineData(0x95, 1, 0, 0, 0, "unused field dst")]
    [InlineData(0x95, 0, 0, 0, 1, "unused field imm")]
    [InlineData(0x96, 0, 0, 0, 0, "exit is only 0x95")]
    [InlineData(0x15, 0, 1, 1, 0, "unused field src")]
    [InlineData(0x1d, 0, 1, 1, 5, "unused field imm")]
    [InlineData(0xf5, 0, 0, 0, 0, "unknown opcode 0xf5")]
    [InlineData(0x61, 0, 1, 0, 1, "unused field imm")]
    [InlineData(0x99, 0, 1, 0, 0, "MEMSX (b, h, w)")]
    [InlineData(0xa1, 0, 1, 0, 0, "unknown opcode 0xa1")]
    [InlineData(0x62, 0, 1, 0, 1, "unused field src")]
    [InlineData(0xc2, 0, 0, 0, 1, "ST takes only mode MEM")]
    [InlineData(0x7b, 0, 1, 0, 1, "unused field imm")]
    [InlineData(0xd3, 0, 1, 0, 0, "32- or 64-bit only")]
    [InlineData(0xdb, 0, 1, 0, 0x10, "must name an atomic operation")]
    [InlineData(0xdb, 0, 1, 0, 0xe0, "must name an atomic operation")]
    [InlineData(0x20, 0, 0, 0, 4, "legacy packet load")]
    [InlineData(0x50, 0, 1, 0, 4, "legacy packet load")]
    [InlineData(0x10, 0, 0, 0, 0, "the only LD instruction is lddw")]
    public void Rejects_invalid_instructions_naming_the_field(int opcode, int dst, int src, int offset, int imm, string message)
    {
        var error = FirstError(new Instruction((byte)opcode, (byte)dst, (byte)src, (short)offset, imm), Exit);
        Assert.NotNull(error);
        Assert.Equal(0, error.InstructionIndex);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(0x04, 0, 1, 0, 1, "add32 (0x04, immediate): unused field src must be 0, found 1")]
    [InlineData(0x95, 0, 0, 0, 1, "exit (0x95): unused field imm must be 0, found 1")]
    [InlineData(0x7b, 0, 1, 0, 1, "stxdw (0x7b): unused field imm must be 0, found 1")]
    [InlineData(0xdb, 0, 1, 0, 2, "atomic dw (0xdb): imm must name an atomic operation")]
    [InlineData(0x1e, 0, 1, 0, 1, "jeq32 (0x1e, register): unused field imm")]
    public void Messages_name_the_instruction_and_the_field(int opcode, int dst, int src, int offset, int imm, string message) =>
        Assert.StartsWith(message, FirstError(new Instruction((byte)opcode, (byte)dst, (byte)src, (short)offset, imm), Exit)!.Message);

    [Fact]
    public void Checks_both_slots_of_a_64_bit_load()
    {
        var (low, high) = Instruction.LoadImm64(1, 0x1122334455667788);
        Assert.Null(FirstError(low, high, Exit));
        Assert.Contains("second slot is missing", FirstError(Exit, low)!.Message);
        Assert.Equal(1, FirstError(Exit, low)!.InstructionIndex);
        Assert.Contains("second slot must have opcode", FirstError(low, high with { Opcode = 0x95 }, Exit)!.Message);
        Assert.Contains("second slot must have opcode", FirstError(low, high with { Dst = 1 }, Exit)!.Message);
        Assert.Contains("unused field offset", FirstError(low with { Offset = 1 }, high, Exit)!.Message);
        Assert.Contains("pseudo kind", FirstError(low with { Src = 7 }, high, Exit)!.Message);
        Assert.Contains("map reference has no value offset", FirstError(low with { Src = LoadImmSource.MapIdx }, high, Exit)!.Message);
        Assert.Null(FirstError(low with { Src = LoadImmSource.MapIdxValue }, high, Exit));
        Assert.Null(FirstError(low with { Src = LoadImmSource.Func }, high with { Imm = 0 }, Exit));
    }

    [Fact]
    public void Reports_every_error_with_its_slot_index_and_an_empty_program()
    {
        var bad = new Instruction(0x04, 0, 1, 0, 1);
        var (low, high) = Instruction.LoadImm64(0, 1);
        var errors = InstructionValidator.FindErrors([bad, low, high, bad, Exit]).ToArray();
        Assert.Equal([0, 3], errors.Select(e => e.InstructionIndex));
        Assert.StartsWith("instruction 3: ", errors[1].ToString());
        Assert.Contains("empty", InstructionValidator.Validate([]).Error!.Message);
        Assert.True(InstructionValidator.Validate([Exit]).IsOk);
    }

    [Fact]
    public void Every_conformance_test_program_is_valid()
    {
        var files = ConformanceFiles.Tests();
        foreach (var path in files)
        {
            var program = ConformanceFiles.Load(path).Program();
            Assert.True(program.IsOk, $"{path}: {program.Error}");
            var result = InstructionValidator.Validate(program.Value);
            Assert.True(result.IsOk, $"{path}: {result.Error}");
        }
        TestContext.Current.SendDiagnosticMessage($"validated {files.Length} conformance programs");
    }

    [Fact]
    public void Every_unused_field_negative_test_is_rejected()
    {
        var files = ConformanceFiles.Negative().Where(p => Path.GetFileName(p).StartsWith("unused-")).ToArray();
        Assert.NotEmpty(files);
        foreach (var path in files)
        {
            var program = ConformanceFiles.Load(path).Program().Value;
            var error = InstructionValidator.Validate(program).Error;
            Assert.True(error is not null, $"{path} passed validation but sets an unused field");
            Assert.Contains("unused field", error.Message);
        }
        TestContext.Current.SendDiagnosticMessage($"rejected {files.Length} unused-field programs");
    }
}
