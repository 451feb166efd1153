namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>The example filters under examples/filters and the compilers/CPU versions they are built with.</summary>
public static class ExampleFilters
{
    public const string CloseArch = "01_close_999";
    public const string GetpidCounter = "02_getpid_counter";
    public const string PolicyMap = "03_policy_map";
    public const string ExecOnce = "04_exec_once";
    public const string OpenatPaths = "05_openat_paths";

    public static readonly string[] All = [CloseArch, GetpidCounter, PolicyMap, ExecOnce, OpenatPaths];

    /// <summary>(compiler, -mcpu) pairs: clang 19 at every ISA version, and Debian's clang 14 at its default.</summary>
    public static readonly (string Compiler, string Cpu)[] Builds =
    [
        (ClangCompiler.Clang19, "v1"), (ClangCompiler.Clang19, "v2"), (ClangCompiler.Clang19, "v3"), (ClangCompiler.Clang19, "v4"),
        (ClangCompiler.DebianClang, "v1"), (ClangCompiler.DebianClang, "v2"), (ClangCompiler.DebianClang, "v3"),
    ];

    /// <summary>Every (compiler, cpu) pair as theory data.</summary>
    public static TheoryData<string, string> CompilerBuilds()
    {
        var data = new TheoryData<string, string>();
        foreach (var (compiler, cpu) in Builds) data.Add(compiler, cpu);
        return data;
    }

    public static TheoryData<string, string, string> AllBuilds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var example in All)
            foreach (var (compiler, cpu) in Builds)
                data.Add(example, compiler, cpu);
        return data;
    }
}
