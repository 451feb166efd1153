using System.Text;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;
using SeccompEbpf.Cli.Files;
using SeccompEbpf.Policy.Sources;

namespace SeccompEbpf.Cli.Commands;

/// <summary>One program to verify: its name, code, maps (by index) and, for ELF objects, its source lines.</summary>
public sealed record VerifyInput(string Name, Instruction[] Program, IReadOnlyDictionary<int, MapSpec> Maps, ObjectProgram? Source);

/// <summary>Reads the programs `verify` checks from an ELF object, raw bytecode or assembly text.</summary>
public static class VerifyInputs
{
    /// <summary>The programs <paramref name="spec"/> names (FILE, or FILE.o:SECTION as everywhere), or null with a reason.</summary>
    public static IReadOnlyList<VerifyInput>? Read(ObjectProgramSpec spec, IReadOnlyDictionary<int, MapSpec> cliMaps, out string error)
    {
        error = "";
        var bytes = CliFiles.Expect(spec.Path, "verify", InputKind.Elf, InputKind.Text, InputKind.Binary);
        var path = CliFiles.DisplayName(spec.Path);
        spec = spec with { Path = path };
        var kind = InputKinds.Of(bytes);
        if (kind == InputKind.Elf)
            return FromObject(bytes, spec, out error);
        if (spec.Section is not null) { error = $"{path}: a section ({spec.Section}) can only be chosen in an ELF object"; return null; }
        if (kind == InputKind.Binary)
        {
            var decoded = InstructionCodec.DecodeProgram(bytes);
            if (!decoded.IsOk) { error = $"{path}: {decoded.Error}"; return null; }
            return [new VerifyInput(Path.GetFileName(path), decoded.Value, cliMaps, null)];
        }
        var assembled = Assembler.Assemble(Encoding.UTF8.GetString(bytes), path);
        if (!assembled.IsOk) { error = assembled.Error!.ToString(); return null; }
        return [new VerifyInput(Path.GetFileName(path), assembled.Value, cliMaps, null)];
    }

    /// <summary>The object's programs the spec selects (<see cref="ObjectProgramSpec.Select"/>, as run chooses); maps come from the object.</summary>
    private static IReadOnlyList<VerifyInput>? FromObject(byte[] bytes, ObjectProgramSpec spec, out string error)
    {
        error = "";
        var loaded = BpfObjectLoader.Load(bytes, spec.Path);
        if (!loaded.IsOk) { error = loaded.Error!.ToString(); return null; }
        var obj = loaded.Value;
        var maps = obj.Maps.Select((m, i) => (m, i)).ToDictionary(x => x.i, x => x.m);
        var chosen = spec.Select(obj);
        if (chosen.Count == 0) { error = spec.NothingSelected(obj).ToString(); return null; }
        return chosen.Select(p => new VerifyInput($"{p.Name} (section {p.SectionName})", p.Instructions, maps, p)).ToList();
    }
}
