using System.Text;
using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Conformance;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Cli.Files;

namespace SeccompEbpf.Cli.Commands;

/// <summary>
/// What `exec` runs: the program from FILE, and the memory and expectation a conformance .data
/// file brings. For an ELF object, <see cref="Program"/> runs over the object's live maps, which
/// this source owns (dispose it after the run).
/// </summary>
internal sealed record ExecProgramSource(BpfProgram Program, byte[]? Memory, ulong? ExpectedResult, bool ExpectsError) : IDisposable
{
    private BpfObjectInstance? _object;

    /// <summary>
    /// Reads FILE by its content or extension: an ELF object, assembly, raw bytecode, hex text, or a
    /// conformance .data test; without a telling extension (standard input, say), binary is bytecode
    /// and text is assembly.
    /// </summary>
    public static BpfResult<ExecProgramSource> Load(string path, AsmSyntax syntax, string? section = null)
    {
        byte[] bytes = CliFiles.Expect(path, "exec", InputKind.Elf, InputKind.Text, InputKind.Binary);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".data" or ".hex") && InputKinds.Of(bytes) == InputKind.Binary) extension = ".bin";
        string name = Path.GetFileName(CliFiles.DisplayName(path));
        path = CliFiles.DisplayName(path);
        if (ElfConstants.StartsWithMagic(bytes))
            return FromObject(bytes, path, section);
        if (section is not null)
            return new BpfError("--section applies to ELF objects only", Location: path);
        switch (extension)
        {
            case ".data":
                {
                    var test = ConformanceTestFile.Parse(Encoding.UTF8.GetString(bytes), path);
                    if (!test.IsOk) return test.Error!;
                    var program = test.Value.Program();
                    if (!program.IsOk) return program.Error!;
                    return new ExecProgramSource(new BpfProgram(name, program.Value), test.Value.Memory, test.Value.ExpectedResult, test.Value.ExpectsError);
                }
            case ".bin" or ".raw":
                {
                    var program = InstructionCodec.DecodeProgram(bytes);
                    return program.IsOk ? Plain(name, program.Value) : program.Error! with { Location = path };
                }
            case ".hex":
                {
                    var hex = HexBytes.Parse(Encoding.UTF8.GetString(bytes), path);
                    if (!hex.IsOk) return hex.Error!;
                    var program = InstructionCodec.DecodeProgram(hex.Value);
                    return program.IsOk ? Plain(name, program.Value) : program.Error! with { Location = path };
                }
            default:
                {
                    var program = Assembler.Assemble(Encoding.UTF8.GetString(bytes), path, syntax);
                    return program.IsOk ? Plain(name, program.Value) : program.Error!;
                }
        }
    }

    private static ExecProgramSource Plain(string name, Instruction[] instructions) =>
        new(new BpfProgram(name, instructions), null, null, false);

    /// <summary>
    /// The object's program named by <paramref name="section"/> (program or section name), or its
    /// only program. Maps are created from the object (global data initialised), helpers are the
    /// base set: seccomp-specific helpers need `simulate`, which supplies a process.
    /// </summary>
    private static BpfResult<ExecProgramSource> FromObject(byte[] bytes, string path, string? section)
    {
        var loaded = BpfObjectLoader.Load(bytes, path);
        if (!loaded.IsOk) return loaded.Error!;
        var obj = loaded.Value;
        var chosen = section is null
            ? obj.Programs
            : obj.ProgramsMatching(section);
        if (chosen.Count != 1)
        {
            string why = chosen.Count == 0 && section is not null ? $"no program or section named '{section}'"
                : chosen.Count == 0 ? "the object has no programs"
                : "the object has several programs; pick one with --section NAME";
            return new BpfError($"{why} (programs: {obj.ProgramList()})", Location: path);
        }
        var instance = BpfObjectInstance.Create(obj);
        if (!instance.IsOk) return instance.Error!;
        var program = instance.Value.Program(chosen[0].Name);
        if (!program.IsOk) { instance.Value.Dispose(); return program.Error!; }
        return new ExecProgramSource(program.Value, null, null, false) { _object = instance.Value };
    }

    public void Dispose() => _object?.Dispose();
}
