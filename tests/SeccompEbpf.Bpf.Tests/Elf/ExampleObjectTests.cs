using System.Buffers.Binary;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>Each example filter, built by clang 19 at -mcpu=v1..v4 and clang 14, loads with the expected programs, maps and relocations.</summary>
public class ExampleObjectTests
{
    public static TheoryData<string, string, string> Builds => ExampleFilters.AllBuilds();

    private static BpfObject Load(string example, string compiler, string cpu)
    {
        var path = ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(example), compiler, cpu);
        var loaded = BpfObjectLoader.LoadFile(path);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        return loaded.Value;
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Every_example_loads_one_seccomp_program_with_license_and_source_lines(string example, string compiler, string cpu)
    {
        var obj = Load(example, compiler, cpu);
        var program = Assert.Single(obj.Programs);
        Assert.Equal("seccomp", program.SectionName);
        Assert.Equal(ProgramSectionKind.Seccomp, program.Kind);
        Assert.Equal("GPL", program.License);
        Assert.True(program.Instructions[^1].IsExit || program.Functions.Count > 1, "the entry or a sub-program ends the program");
        var line = program.LineAt(0);
        Assert.NotNull(line);
        Assert.EndsWith(example + ".c", line.FileName);
        Assert.True(line.Line > 0);
        // Every lddw left in the program refers to a map of the object or is a plain constant.
        for (int i = 0; i < program.Instructions.Length; i++)
        {
            var insn = program.Instructions[i];
            if (!insn.IsLoadImm64) continue;
            if (insn.Src is LoadImmSource.MapIdx or LoadImmSource.MapIdxValue)
                Assert.InRange(insn.Imm, 0, obj.Maps.Count - 1);
            else
                Assert.Equal(LoadImmSource.Imm64, insn.Src);
            i++;
        }
    }

    [Theory]
    [MemberData(nameof(ExampleFilters.CompilerBuilds), MemberType = typeof(ExampleFilters))]
    public void Close_example_appends_its_subprogram_and_fixes_the_call(string compiler, string cpu)
    {
        const string example = ExampleFilters.CloseArch;
        var program = Load(example, compiler, cpu).Programs[0];
        Assert.Equal(["close_999", "is_native_arch"], program.Functions.Select(f => f.Name));
        var sub = program.Functions[1];
        Assert.Equal(program.Instructions.Length, sub.StartIndex + sub.Length);
        var calls = program.Instructions.Select((insn, i) => (insn, i)).Where(x => x.insn.IsLocalCall).ToList();
        var (call, at) = Assert.Single(calls);
        Assert.Equal(sub.StartIndex, at + call.Imm + 1);
        Assert.True(at < sub.StartIndex);
        Assert.NotEqual(0, program.Functions[0].BtfTypeId);
        Assert.Empty(Load(example, compiler, cpu).Maps);
    }

    [Theory]
    [MemberData(nameof(ExampleFilters.CompilerBuilds), MemberType = typeof(ExampleFilters))]
    public void Counter_example_turns_globals_into_rodata_and_bss_maps(string compiler, string cpu)
    {
        var obj = Load(ExampleFilters.GetpidCounter, compiler, cpu);
        var rodata = obj.Maps[obj.FindMapIndex(".rodata")];
        var bss = obj.Maps[obj.FindMapIndex(".bss")];
        Assert.Equal(MapType.Array, rodata.Type);
        Assert.Equal((4u, 8u, 1u), (rodata.KeySize, rodata.ValueSize, rodata.MaxEntries));
        Assert.True(rodata.ReadOnlyForProgram);
        Assert.Equal(3UL, BinaryPrimitives.ReadUInt64LittleEndian(rodata.InitialValue));
        Assert.False(bss.ReadOnlyForProgram);
        Assert.Equal(new byte[8], bss.InitialValue);

        var program = obj.Programs[0];
        var loads = DataLoads(program);
        Assert.Contains((obj.FindMapIndex(".rodata"), 0), loads);
        Assert.Contains((obj.FindMapIndex(".bss"), 0), loads);
    }

    public static TheoryData<string, string, string> MapBuilds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var example in new[] { ExampleFilters.PolicyMap, ExampleFilters.ExecOnce, ExampleFilters.OpenatPaths })
            foreach (var (compiler, cpu) in ExampleFilters.Builds)
                data.Add(example, compiler, cpu);
        return data;
    }

    [Theory]
    [MemberData(nameof(MapBuilds))]
    public void Map_examples_read_btf_map_definitions(string example, string compiler, string cpu)
    {
        var expected = example switch
        {
            ExampleFilters.PolicyMap => new MapSpec("policy", MapType.Array, 4, 4, 512),
            ExampleFilters.ExecOnce => new MapSpec("exec_state_map", MapType.TaskStorage, 4, 4, 0, 1),
            _ => new MapSpec("allowed_paths", MapType.Hash, 64, 1, 256),
        };
        var obj = Load(example, compiler, cpu);
        var map = Assert.Single(obj.Maps, m => m.Name == expected.Name);
        Assert.Equal(expected, map);
        Assert.Equal(MapOrigin.BtfMapsSection, obj.MapDefinitions[obj.FindMapIndex(expected.Name)].Origin);
        var mapLoads = obj.Programs[0].Instructions.Where(i => i.IsLoadImm64 && i.Src == LoadImmSource.MapIdx).ToList();
        Assert.NotEmpty(mapLoads);
        Assert.All(mapLoads, l => Assert.Equal(obj.FindMapIndex(expected.Name), l.Imm));
    }

    [Fact]
    public void Btf_map_key_and_value_types_are_named()
    {
        var obj = Load(ExampleFilters.ExecOnce, ClangCompiler.Clang19, "v3");
        var def = obj.MapDefinitions.Single(m => m.Spec.Name == "exec_state_map");
        Assert.Equal("int", def.KeyType);
        Assert.Equal("struct exec_state", def.ValueType);
    }

    /// <summary>(map index, offset) of every lddw of global data.</summary>
    internal static List<(int Map, int Offset)> DataLoads(ObjectProgram program)
    {
        var result = new List<(int, int)>();
        for (int i = 0; i + 1 < program.Instructions.Length; i++)
            if (program.Instructions[i].IsLoadImm64 && program.Instructions[i].Src == LoadImmSource.MapIdxValue)
                result.Add((program.Instructions[i].Imm, program.Instructions[i + 1].Imm));
        return result;
    }
}
