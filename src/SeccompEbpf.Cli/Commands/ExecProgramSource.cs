using System.Text;
using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Conformance;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Cli.Commands;

/// <summary>What `exec` runs: the instructions from FILE, and the memory and expectation a conformance .data file brings.</summary>
internal sealed record ExecProgramSource(Instruction[] Instructions, byte[]? Memory, ulong? ExpectedResult, bool ExpectsError)
{
    /// <summary>Reads FILE by its extension (or content): assembly, raw bytecode, hex text, or a conformance .data test.</summary>
    public static BpfResult<ExecProgramSource> Load(string path, AsmSyntax syntax)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F')
            return new BpfError("ELF objects are not supported by exec in this build; disassemble the program (llvm-objdump -d) and run the assembly, or use raw bytecode", Location: path);
        switch (extension)
        {
            case ".data":
                {
                    var test = ConformanceTestFile.Parse(Encoding.UTF8.GetString(bytes), path);
                    if (!test.IsOk) return test.Error!;
                    var program = test.Value.Program();
                    if (!program.IsOk) return program.Error!;
                    return new ExecProgramSource(program.Value, test.Value.Memory, test.Value.ExpectedResult, test.Value.ExpectsError);
                }
            case ".bin" or ".raw":
                {
                    var program = InstructionCodec.DecodeProgram(bytes);
                    return program.IsOk ? new ExecProgramSource(program.Value, null, null, false) : program.Error! with { Location = path };
                }
            case ".hex":
                {
                    var hex = HexBytes.Parse(Encoding.UTF8.GetString(bytes), path);
                    if (!hex.IsOk) return hex.Error!;
                    var program = InstructionCodec.DecodeProgram(hex.Value);
                    return program.IsOk ? new ExecProgramSource(program.Value, null, null, false) : program.Error! with { Location = path };
                }
            default:
                {
                    var program = Assembler.Assemble(Encoding.UTF8.GetString(bytes), path, syntax);
                    return program.IsOk ? new ExecProgramSource(program.Value, null, null, false) : program.Error!;
                }
        }
    }
}
