using System.Diagnostics;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// Prints the closing-note figures for Docker's default profile on x86_64 (with i386 and x32, as
/// Docker's archMap gives): size and instructions executed (worst, average over each ABI's real
/// syscalls) for our filter and libseccomp's linear and binary-tree filters. Run with
/// <c>--logger "console;verbosity=detailed"</c> to see the table.
/// </summary>
public class FilterQualityReportTests(ITestOutputHelper output)
{
    [Fact]
    public void DockerDefaultProfileFigures()
    {
        Assert.SkipUnless(LibSeccompNative.IsAvailable(), "libseccomp.so.2 not installed");
        var path = SharedProfiles.File("docker-default.json", out var reason);
        Assert.SkipWhen(path is null, reason);
        var profile = ProfileParser.ParseFile(path!).Profile!;
        var target = new ProfileTarget();

        ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(profile, target).Plan); // warm-up (JIT)
        var clock = Stopwatch.StartNew();
        const int Rounds = 20;
        ClassicInstructionArray ours = default;
        for (int i = 0; i < Rounds; i++)
            ours = new(ClassicPolicyCompiler.Compile(PolicyResolver.Resolve(profile, target).Plan).Value);
        double compileMs = clock.Elapsed.TotalMilliseconds / Rounds;

        var filters = new (string Name, SeccompEbpf.Classic.ClassicInstruction[] Program)[]
        {
            ("seccomp-ebpf", ours.Program),
            ("libseccomp linear", LibSeccompReference.Compile(profile, target, LibSeccompReference.Tree.Linear)),
            ("libseccomp binary tree", LibSeccompReference.Compile(profile, target, LibSeccompReference.Tree.Binary)),
        };
        output.WriteLine($"Docker default profile, native x86_64 + i386 + x32; compile (parse excluded, resolve + compile) {compileMs:F2} ms");
        output.WriteLine($"{"filter",-24} {"insns",6} | {"x86_64 worst/avg",18} | {"i386 worst/avg",16} | {"x32 worst/avg",16}");
        foreach (var (name, program) in filters)
        {
            var cells = new[] { SyscallArch.X86_64, SyscallArch.I386, SyscallArch.X32 }
                .Select(a => FilterQuality.Measure(program, a))
                .Select(f => $"{f.Worst,5} / {f.Average,6:F2}").ToList();
            output.WriteLine($"{name,-24} {program.Length,6} | {cells[0],18} | {cells[1],16} | {cells[2],16}");
        }
        var oursX64 = FilterQuality.Measure(ours.Program, SyscallArch.X86_64);
        var treeX64 = FilterQuality.Measure(filters[2].Program, SyscallArch.X86_64);
        Assert.True(oursX64.Average < treeX64.Average);
    }

    private readonly record struct ClassicInstructionArray(SeccompEbpf.Classic.ClassicInstruction[] Program);
}
