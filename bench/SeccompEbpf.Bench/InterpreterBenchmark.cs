using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bench;

/// <summary>
/// Interpreter speed: ns per run and per executed instruction on a 1000-iteration ALU loop,
/// a loop that loads and stores on the stack, and an empty program (the fixed cost of a run).
/// Options: --engine interpreter|jit, --seconds N (time per round, default 0.2).
/// </summary>
public static class InterpreterBenchmark
{
    public const string AluLoop = """
        mov %r0, 0
        mov %r1, 1000
        loop:
        add %r0, %r1
        sub %r1, 1
        jne %r1, 0, loop
        exit
        """;

    public const string StackLoop = """
        mov %r0, 0
        stxdw [%r10-8], %r0
        mov %r1, 1000
        loop:
        ldxdw %r2, [%r10-8]
        add %r2, %r1
        stxdw [%r10-8], %r2
        sub %r1, 1
        jne %r1, 0, loop
        ldxdw %r0, [%r10-8]
        exit
        """;

    public const string Empty = """
        mov %r0, 0
        exit
        """;

    public static int Run(string[] args)
    {
        var engine = EngineKind.Interpreter;
        double seconds = 0.2;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--engine" && !BpfEngines.TryParseKind(args[i + 1], out engine)) return Usage($"unknown engine {args[i + 1]}");
            else if (args[i] == "--seconds" && !double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out seconds)) return Usage("--seconds needs a number");
        }

        Console.WriteLine($"engine: {engine}; .NET {Environment.Version}; {Environment.ProcessorCount} CPUs; median of 7 rounds of {seconds:0.##} s");
        Console.WriteLine($"{"program",-12} {"instructions",12} {"ns/run",12} {"ns/instruction",15} {"cpu ns/run",12} {"cpu ns/insn",12}");
        foreach (var (name, source) in new[] { ("alu-loop", AluLoop), ("stack-loop", StackLoop), ("empty", Empty) })
        {
            var code = Assembler.Assemble(source, name, AsmSyntax.Conformance);
            if (!code.IsOk) return Fail(code.Error!.ToString());
            var prepared = BpfEngines.Prepare(new BpfProgram(name, code.Value), engine);
            if (!prepared.IsOk) return Fail(prepared.Error!.ToString());
            var executable = prepared.Value;
            using var context = new BpfRunContext();
            var check = executable.Run(context, default);
            if (!check.IsOk) return Fail(check.Error!.ToString());
            var m = Measurement.PerCall(() => executable.Run(context, default), TimeSpan.FromSeconds(seconds));
            long n = check.InstructionsExecuted;
            Console.WriteLine($"{name,-12} {n,12} {m.WallNanoseconds,12:0.0} {m.WallNanoseconds / n,15:0.000} {m.CpuNanoseconds,12:0.0} {m.CpuNanoseconds / n,12:0.000}");
        }
        return 0;
    }

    private static int Usage(string message) { Console.Error.WriteLine(message); return 2; }
    private static int Fail(string message) { Console.Error.WriteLine(message); return 1; }
}
