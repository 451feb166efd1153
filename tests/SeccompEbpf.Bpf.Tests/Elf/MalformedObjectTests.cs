using System.Buffers.Binary;
using SeccompEbpf.Bpf.Elf;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>Objects that are not what the loader needs fail with a message that says what is wrong and what to do.</summary>
public class MalformedObjectTests
{
    private static byte[] Example() =>
        File.ReadAllBytes(ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(ExampleFilters.PolicyMap)));

    private static string LoadError(byte[] data)
    {
        var result = BpfObjectLoader.Load(data, "test.o");
        Assert.False(result.IsOk, "expected the load to fail");
        Assert.Equal("test.o", result.Error!.Location);
        Assert.StartsWith("test.o: ", result.Error.ToString());
        return result.Error.Message;
    }

    [Fact]
    public void Rejects_files_that_are_not_elf()
    {
        Assert.Contains("too short", LoadError([1, 2, 3]));
        Assert.Contains("not an ELF file", LoadError(new byte[100]));
    }

    [Fact]
    public void Rejects_other_machines_classes_and_byte_orders()
    {
        var data = Example();
        var x86 = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(x86.AsSpan(18), 62);
        Assert.Contains("not EM_BPF (247)", LoadError(x86));
        var elf32 = (byte[])data.Clone();
        elf32[4] = 1;
        Assert.Contains("not ELFCLASS64", LoadError(elf32));
        var bigEndian = (byte[])data.Clone();
        bigEndian[5] = 2;
        Assert.Contains("big-endian", LoadError(bigEndian));
        var executable = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(executable.AsSpan(16), 2);
        Assert.Contains("ET_REL", LoadError(executable));
    }

    [Fact]
    public void A_big_endian_bpf_object_from_clang_is_refused_by_name()
    {
        var path = ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(ExampleFilters.CloseArch), extraFlags: "-target bpfeb");
        Assert.Contains("big-endian", LoadError(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Truncation_names_the_section_table()
    {
        var data = Example();
        Assert.Contains("section header table", LoadError(data[..(data.Length - 10)]));
    }

    [Fact]
    public void Co_re_relocations_are_refused_naming_the_instruction_and_type()
    {
        var path = ClangCompiler.CompileOrSkip(Path.Combine(ClangCompiler.TestSourcesDirectory, "core_relocation.c"));
        var result = BpfObjectLoader.LoadFile(path);
        Assert.False(result.IsOk);
        Assert.Contains("program 'uses_core', instruction 0: CO-RE relocation FieldByteOffset on struct task_struct", result.Error!.Message);
        Assert.Equal(0, result.Error.InstructionIndex);
    }

    [Fact]
    public void Extern_variables_are_refused_by_name()
    {
        var path = ClangCompiler.CompileOrSkip(Path.Combine(ClangCompiler.TestSourcesDirectory, "extern_kconfig.c"));
        var result = BpfObjectLoader.LoadFile(path);
        Assert.False(result.IsOk);
        Assert.Equal(path, result.Error!.Location);
        Assert.Contains("seccomp, instruction 0: R_BPF_64_64 against 'LINUX_KERNEL_VERSION'", result.Error.Message);
        Assert.Contains("extern, kconfig and ksym variables are not supported", result.Error.Message);
    }

    [Fact]
    public void Unknown_btf_map_fields_are_named()
    {
        var path = ClangCompiler.CompileOrSkip(Path.Combine(ClangCompiler.TestSourcesDirectory, "unknown_map_field.c"));
        var result = BpfObjectLoader.LoadFile(path);
        Assert.False(result.IsOk);
        Assert.Contains("map 'odd_map' in .maps: unknown field 'colour'", result.Error!.Message);
    }

    [Fact]
    public void Btf_maps_without_debug_info_ask_for_minus_g()
    {
        var path = ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(ExampleFilters.PolicyMap), extraFlags: "-g0");
        var result = BpfObjectLoader.LoadFile(path);
        Assert.False(result.IsOk);
        Assert.Contains("compile with -g", result.Error!.Message);
    }

    [Fact]
    public void Objects_without_btf_that_need_none_still_load()
    {
        var path = ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(ExampleFilters.GetpidCounter), extraFlags: "-g0");
        var result = BpfObjectLoader.LoadFile(path);
        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Null(result.Value.Btf);
        Assert.Equal([".rodata", ".bss"], result.Value.Maps.Select(m => m.Name));
        Assert.Empty(result.Value.Programs[0].LineInfo);
    }

    [Fact]
    public void A_missing_file_is_an_error_value()
    {
        var result = BpfObjectLoader.LoadFile("/nonexistent/filter.o");
        Assert.False(result.IsOk);
        Assert.Equal("/nonexistent/filter.o: no such file", result.Error!.ToString());
    }
}
