using SeccompEbpf.Bpf.Elf;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>What objdump prints besides the disassembly (which <see cref="ObjdumpComparisonTests"/> checks).</summary>
public class ObjectDumperTests
{
    private static string Dump(string source, bool linked)
    {
        var obj = BpfObjectLoader.LoadFile(ClangCompiler.CompileOrSkip(source)).Value;
        var text = new StringWriter();
        ObjectDumper.Dump(obj, text, linked);
        return text.ToString();
    }

    [Fact]
    public void Lists_maps_with_types_sizes_and_btf_type_names()
    {
        var text = Dump(ClangCompiler.ExamplePath(ExampleFilters.ExecOnce), linked: false);
        Assert.Contains("license: GPL", text);
        Assert.Contains("exec_state_map       taskstorage key=4 (int) value=4 (struct exec_state) max_entries=0 flags=0x1  [.maps+0]", text);
        Assert.Contains("exec_once            section seccomp (Seccomp)", text);
        Assert.Contains("R_BPF_64_64      exec_state_map", text);
        Assert.Contains("Disassembly of section seccomp:", text);
    }

    [Fact]
    public void Linked_programs_show_subprograms_map_names_and_source_lines()
    {
        var text = Dump(Path.Combine(ClangCompiler.TestSourcesDirectory, "multi_program.c"), linked: true);
        Assert.Contains("version: 0x00060100", text);
        Assert.Contains("first                section seccomp (Seccomp), ", text);
        Assert.Contains("sleepy               section seccomp-sleepable (Seccomp, sleepable)", text);
        Assert.Contains("Program first (section seccomp), as loaded:", text);
        Assert.Contains("<middle>:", text);
        Assert.Contains("r1 = map[0] ll", text);
        Assert.Contains("; map legacy_counts", text);
        Assert.Contains("= map_value[", text);
        Assert.Contains("; hidden_two += x;  [multi_program.c:", text);
        Assert.Contains(".rodata.str1.1       array key=4 value=9 max_entries=1 flags=0x80 read-only", text);
    }

    [Fact]
    public void Normalisation_keeps_different_instructions_apart()
    {
        Assert.Equal(ObjdumpComparisonTests.Normalise("r1 = *(u32 *)(r1 + 0x4)"), ObjdumpComparisonTests.Normalise("r1 = *(u32 *)(r1 + 4)"));
        Assert.Equal(ObjdumpComparisonTests.Normalise("w0 = -0x80000000"), ObjdumpComparisonTests.Normalise("w0 = 0x80000000"));
        Assert.NotEqual(ObjdumpComparisonTests.Normalise("r1 += 1"), ObjdumpComparisonTests.Normalise("r1 += 2"));
        Assert.NotEqual(ObjdumpComparisonTests.Normalise("r1 = r2"), ObjdumpComparisonTests.Normalise("r2 = r1"));
        Assert.NotEqual(ObjdumpComparisonTests.Normalise("if w1 s< 0x1 goto +0x9"), ObjdumpComparisonTests.Normalise("if w1 < 0x1 goto +0x9"));
    }
}
