using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;

namespace SeccompEbpf.Bench;

/// <summary>
/// The classic interpreter and the translated program on the eBPF interpreter, on the shape the
/// paper measures: a linear 245-syscall deny list, called with getppid (allowed, so every
/// comparison runs).
/// </summary>
public static class ClassicBenchmark
{
    public static int Run(string[] args)
    {
        var program = ClassicChecker.Check(LinearDenyList(245, allowed: 110)).Value;
        var getppid = SeccompData.For(110, AuditArch.X86_64);
        uint expected = program.Run(in getppid, out int executed);

        var classic = Measurement.PerCall(() => program.Run(in getppid), TimeSpan.FromMilliseconds(200));
        var translated = ClassicToEbpfTranslator.Translate(program).Instructions;
        var executable = BpfEngines.Prepare(new BpfProgram("deny-list", translated)).Value;
        var bytes = getppid.ToBytes();
        var context = BpfExecutableExtensions.ThreadContext;
        if ((uint)executable.RunWithContext(context, bytes).R0 != expected) throw new InvalidOperationException("translated program disagrees");
        var ebpf = Measurement.PerCall(() => executable.RunWithContext(context, bytes), TimeSpan.FromMilliseconds(200));

        Console.WriteLine($"linear deny list: {program.Length} classic instructions, {executed} executed for getppid; {translated.Length} eBPF instructions");
        Console.WriteLine($"classic interpreter:           {classic.WallNanoseconds,8:F1} ns wall  {classic.CpuNanoseconds,8:F1} ns CPU per call");
        Console.WriteLine($"translated, eBPF interpreter:  {ebpf.WallNanoseconds,8:F1} ns wall  {ebpf.CpuNanoseconds,8:F1} ns CPU per call");
        return 0;
    }

    private static ClassicInstruction[] LinearDenyList(int count, int allowed)
    {
        var code = new List<ClassicInstruction>
        {
            ClassicInstruction.Stmt(ClassicOpcodes.LdAbsW, SeccompData.ArchOffset),
            ClassicInstruction.Jump(ClassicOpcodes.JeqK, AuditArch.X86_64, 1, 0),
            ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.KillProcess),
            ClassicInstruction.Stmt(ClassicOpcodes.LdAbsW, SeccompData.NrOffset),
        };
        var denied = Enumerable.Range(0, count + 1).Where(nr => nr != allowed).Take(count).ToArray();
        for (int i = 0; i < denied.Length; i++)
            code.Add(ClassicInstruction.Jump(ClassicOpcodes.JeqK, (uint)denied[i], (byte)(denied.Length - i), 0));
        code.Add(ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.Allow));
        code.Add(ClassicInstruction.Stmt(ClassicOpcodes.RetK, SeccompAction.Errno | 1));
        return [.. code];
    }
}
