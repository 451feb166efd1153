using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>Sources/loop_callback.c: a .text function passed to bpf_loop by address (lddw src=Func).</summary>
public class CallbackObjectTests
{
    public static TheoryData<string, string> Builds => ExampleFilters.CompilerBuilds();

    [Theory]
    [MemberData(nameof(Builds))]
    public void Callback_address_becomes_a_relative_function_reference_and_runs(string compiler, string cpu)
    {
        var path = ClangCompiler.CompileOrSkip(Path.Combine(ClangCompiler.TestSourcesDirectory, "loop_callback.c"), compiler, cpu);
        var loaded = BpfObjectLoader.LoadFile(path);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        var program = Assert.Single(loaded.Value.Programs);
        Assert.Equal(["sum_loop", "add_arg"], program.Functions.Select(f => f.Name));
        int at = Array.FindIndex(program.Instructions, i => i.IsLoadImm64 && i.Src == LoadImmSource.Func);
        Assert.True(at >= 0, "no lddw src=Func in the program");
        Assert.Equal(program.Functions[1].StartIndex, at + program.Instructions[at].Imm + 1);

        using var run = new ExampleRunner(loaded.Value, EngineKind.Interpreter);
        Assert.Equal(0x7fff0000u, run.Run(0, args: 4));   // 0+1+2+3
        Assert.Equal(0x00050001u, run.Run(0, args: 3));
    }
}
