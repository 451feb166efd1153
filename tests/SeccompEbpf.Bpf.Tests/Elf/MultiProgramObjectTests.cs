using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Bpf.Maps;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>Sources/multi_program.c: the libbpf conventions beyond the examples.</summary>
public class MultiProgramObjectTests
{
    private static BpfObject Load(string compiler)
    {
        var path = ClangCompiler.CompileOrSkip(Path.Combine(ClangCompiler.TestSourcesDirectory, "multi_program.c"), compiler, "v3");
        var loaded = BpfObjectLoader.LoadFile(path);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        return loaded.Value;
    }

    public static TheoryData<string> Compilers => new(ClangCompiler.Clang19, ClangCompiler.DebianClang);

    [Theory]
    [MemberData(nameof(Compilers))]
    public void Finds_every_program_by_section_and_symbol(string compiler)
    {
        var obj = Load(compiler);
        Assert.Equal(
            [("first", "seccomp", ProgramSectionKind.Seccomp), ("second", "seccomp", ProgramSectionKind.Seccomp),
             ("sleepy", "seccomp-sleepable", ProgramSectionKind.Seccomp), ("sock", "socket", ProgramSectionKind.SocketFilter),
             ("xdp_pass", "xdp", ProgramSectionKind.Xdp), ("probe", "kprobe/do_sys_open", ProgramSectionKind.Kprobe)],
            obj.Programs.Select(p => (p.Name, p.SectionName, p.Kind)));
        Assert.True(obj.FindProgram("sleepy")!.IsSleepable);
        Assert.False(obj.FindProgram("first")!.IsSleepable);
        Assert.Equal("Dual BSD/GPL", obj.License);
        Assert.Equal(0x00060100u, obj.KernelVersion);
    }

    [Theory]
    [MemberData(nameof(Compilers))]
    public void Reads_legacy_btf_and_global_data_maps_in_libbpf_order(string compiler)
    {
        var obj = Load(compiler);
        Assert.Equal(new MapSpec("legacy_counts", MapType.Array, 4, 8, 16), obj.Maps[0]);
        Assert.Equal(new MapSpec("legacy_hash", MapType.Hash, 8, 4, 32, 1), obj.Maps[1]);
        Assert.Equal(new MapSpec("sized_hash", MapType.Hash, 4, 16, 8), obj.Maps[2]);
        var data = obj.MapDefinitions.Skip(3).ToList();
        Assert.All(data, m => Assert.Equal(MapOrigin.GlobalData, m.Origin));
        Assert.Contains(".data.custom", data.Select(m => m.Spec.Name));
        Assert.Contains(".data", data.Select(m => m.Spec.Name));
        Assert.Contains(".bss", data.Select(m => m.Spec.Name));
        var strings = obj.Maps[obj.FindMapIndex(".rodata.str1.1")];
        Assert.True(strings.ReadOnlyForProgram);
        Assert.Equal("abcdefgh\0"u8.ToArray(), strings.InitialValue);
        var custom = obj.Maps[obj.FindMapIndex(".data.custom")];
        Assert.Equal(7UL, BitConverter.ToUInt64(custom.InitialValue!, 0));
        Assert.Equal(9UL, BitConverter.ToUInt64(custom.InitialValue!, 8));
    }

    [Theory]
    [MemberData(nameof(Compilers))]
    public void Appends_nested_subprograms_once_and_fixes_every_call(string compiler)
    {
        var obj = Load(compiler);
        var first = obj.FindProgram("first")!;
        Assert.Equal(["first", "middle", "leaf"], first.Functions.Select(f => f.Name));
        AssertCallsLandOnFunctionStarts(first);
        var second = obj.FindProgram("second")!;
        Assert.Equal(["second", "leaf"], second.Functions.Select(f => f.Name));
        AssertCallsLandOnFunctionStarts(second);
        Assert.Equal(["probe", "middle", "leaf"], obj.FindProgram("probe")!.Functions.Select(f => f.Name));
        Assert.Single(obj.FindProgram("sock")!.Functions);
    }

    [Theory]
    [MemberData(nameof(Compilers))]
    public void Data_relocations_keep_the_offset_from_the_symbol_or_the_section_addend(string compiler)
    {
        var obj = Load(compiler);
        var first = obj.FindProgram("first")!;
        var loads = ExampleObjectTests.DataLoads(first);
        int data = obj.FindMapIndex(".data"), custom = obj.FindMapIndex(".data.custom"), strings = obj.FindMapIndex(".rodata.str1.1");
        // hidden_one and hidden_two are static: clang addresses them as .data + 0 and .data + 8.
        Assert.Contains((data, 0), loads);
        Assert.Contains((data, 8), loads);
        Assert.Contains((custom, 8), loads);   // custom_b, through its own symbol
        Assert.Contains((strings, 0), loads);
        Assert.Contains((custom, 0), ExampleObjectTests.DataLoads(obj.FindProgram("second")!)); // custom_a
        var mapLoads = first.Instructions.Where(i => i.IsLoadImm64 && i.Src == LoadImmSource.MapIdx).Select(i => i.Imm);
        Assert.Equal([0], mapLoads);
    }

    [Fact]
    public void Programs_of_one_instance_share_its_maps()
    {
        var obj = Load(ClangCompiler.Clang19);
        using var instance = BpfObjectInstance.Create(obj).Value;
        var first = instance.Program("first").Value;
        var second = instance.Program("second").Value;
        Assert.Same(first.Maps, second.Maps);
        Assert.Same(instance.Map("legacy_counts"), first.Maps[0]);
        Assert.Equal(obj.Maps.Count, instance.Maps.Count);
        var missing = instance.Program("nope");
        Assert.False(missing.IsOk);
        Assert.Contains("no program 'nope' in the object (it has: first, second, sleepy, sock, xdp_pass, probe)", missing.Error!.Message);
    }

    private static void AssertCallsLandOnFunctionStarts(ObjectProgram program)
    {
        var starts = program.Functions.Skip(1).Select(f => f.StartIndex).ToHashSet();
        var calls = program.Instructions.Select((insn, i) => (insn, i)).Where(x => x.insn.IsLocalCall).ToList();
        Assert.NotEmpty(calls);
        foreach (var (call, at) in calls)
            Assert.Contains(at + call.Imm + 1, starts);
    }
}
