using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Tests.Elf;
using SeccompEbpf.Policy.Sources;

namespace SeccompEbpf.Tests.Policy.Sources;

/// <summary>FILE.o[:SECTION], the one rule run, plan, simulate and verify use to name a program of an object.</summary>
public sealed class ObjectProgramSpecTests
{
    [Theory]
    [InlineData("filter.o", "filter.o", null)]
    [InlineData("filter.o:seccomp", "filter.o", "seccomp")]
    [InlineData("dir/filter.o:second", "dir/filter.o", "second")]
    [InlineData("a:b/filter.o", "a:b/filter.o", null)]  // a colon before the last '/' is part of the path
    [InlineData("filter.o:", "filter.o:", null)]
    [InlineData(":seccomp", ":seccomp", null)]
    public void A_colon_after_the_last_slash_names_a_section_or_program(string text, string path, string? section) =>
        Assert.Equal(new ObjectProgramSpec(path, section), ObjectProgramSpec.Parse(text));

    [Fact]
    public void An_existing_file_whose_name_has_a_colon_is_the_file()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("seccomp-ebpf-spec-").FullName, "odd:name.o");
        File.WriteAllBytes(path, []);
        Assert.Equal(new ObjectProgramSpec(path, null), ObjectProgramSpec.Parse(path));
    }

    private static BpfObject MultiProgram() =>
        BpfObjectLoader.LoadFile(ClangCompiler.CompileOrSkip(Path.Combine(ClangCompiler.TestSourcesDirectory, "multi_program.c"))).Value;

    [Fact]
    public void Without_a_section_the_seccomp_sections_are_meant_and_a_filter_needs_one_of_them()
    {
        var obj = MultiProgram();
        var spec = new ObjectProgramSpec(obj.FileName, null);
        Assert.Equal(["first", "second", "sleepy"], spec.Select(obj).Select(p => p.Name));
        var one = spec.SelectOne(obj);
        Assert.False(one.IsOk);
        Assert.Contains("3 programs are in seccomp sections", one.Error!.Message);
        Assert.Contains("first (section seccomp)", one.Error.Message);
    }

    [Theory]
    [InlineData("second", "second")]          // a program name
    [InlineData("seccomp-sleepable", "sleepy")] // a section name
    [InlineData("socket", "sock")]            // any section, when named
    public void A_section_or_program_name_picks_the_program(string section, string program) =>
        Assert.Equal(program, new ObjectProgramSpec("multi.o", section).SelectOne(MultiProgram()).Value.Name);

    [Fact]
    public void A_name_that_matches_nothing_lists_what_the_object_has()
    {
        var none = new ObjectProgramSpec("multi.o", "nosuch").SelectOne(MultiProgram());
        Assert.Equal("multi.o", none.Error!.Location);
        Assert.Contains("no program or section named 'nosuch'", none.Error.Message);
        Assert.Contains("probe (section kprobe/do_sys_open)", none.Error.Message);
    }
}
