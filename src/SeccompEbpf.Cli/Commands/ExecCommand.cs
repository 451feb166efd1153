using System.Globalization;
using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Interpreter;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Cli.Files;

namespace SeccompEbpf.Cli.Commands;

/// <summary>`seccomp-ebpf exec`: run an eBPF program on given memory/context and print r0; also the conformance runner's plugin.</summary>
public sealed class ExecCommand : ICliCommand
{
    public string Name => "exec";
    public string Summary => "run an eBPF program (assembly, raw bytecode, conformance .data) and print r0";
    public string Help => """
        Usage: seccomp-ebpf exec FILE [--mem HEX | --mem-file F] [--ctx HEX | --ctx-file F] [--ctx-writable]
                                      [--engine interpreter|jit] [--trace] [--budget N] [--syntax auto|conformance|llvm]
                                      [--section NAME]
               seccomp-ebpf exec --conformance-plugin [MEMHEX] [--program HEX] [--debug]

        Runs the program once and prints r0 in hex and decimal and the number of instructions executed.
        FILE: assembly (.s/.asm, either syntax), raw bytecode (.bin/.raw), hex text (.hex), a
        conformance test (.data: its memory is used and its expected result checked), or a
        clang-built ELF object (.o: its maps and global data are created; helpers are the base set,
        so a filter that asks for the process, e.g. get_current_pid_tgid, belongs in `simulate`).
          --section NAME   the object's program to run, by program or section name (needed when it has several)
          --mem HEX        memory passed in r1 with its length in r2 (writable), e.g. --mem "aa bb 11"
          --mem-file F     the same, read from a binary file
          --ctx HEX        a context passed in r1 instead (read-only unless --ctx-writable)
          --ctx-file F     the same, read from a binary file
          --engine E       jit (default) or interpreter (the default with --trace)
          --trace          print every instruction executed with the registers it sees
          --budget N       stop after N instructions (default 1000000)
          --json           print the result as JSON (r0, instructions executed, the expectation, trace_printk lines)
        trace_printk output is printed after the run. FILE may be '-' for standard input (read by its content).

        Plugin mode speaks the bpf_conformance runner's protocol: the program as hex bytes on stdin
        (or --program HEX), the memory as an optional hex argument, r0 printed in hex; a refused or
        faulting program prints the reason on stderr (stdout with --debug) and exits with 1. Run the
        official runner with: --plugin_path seccomp-ebpf --plugin_options "exec --conformance-plugin"
        (the runner's --elf, for ELF test programs, is answered as unsupported).

        Exit codes: 0 ran (and a .data expectation held), 1 refused by validation or the expectation
        failed, 2 usage, 3 unreadable input or assembly error, 4 run-time error (the message names the instruction).

        Examples:
          seccomp-ebpf exec examples/asm/hello.asm                        # "r0 = 0x37 (55": 10 + 9 + ... + 1, on the JIT
          seccomp-ebpf exec examples/asm/hello.asm --trace | tail -1      # "instructions executed: 33"
        """;

    /// <summary>Standard input, replaceable so the plugin path can be tested in-process.</summary>
    public TextReader Input { get; init; } = Console.In;

    public CommandSyntax Syntax => new([
        CliOption.Value("--mem", "HEX"),
        CliOption.Value("--mem-file", "FILE"),
        CliOption.Value("--ctx", "HEX"),
        CliOption.Value("--ctx-file", "FILE"),
        CliOption.Flag("--ctx-writable"),
        CliOption.OneOf("--engine", "ENGINE", ["jit", "interpreter"]),
        CliOption.Flag("--trace"),
        CliOption.Value("--budget", "N"),
        SyntaxOption.Option,
        CliOption.Value("--section", "NAME"),
        CliOption.Flag("--json"),
        CliOption.Flag("--conformance-plugin"),
        CliOption.Value("--program", "HEX"),
        CliOption.Flag("--debug"),
        CliOption.Flag("--elf"),
    ]);

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliArgs(args, Syntax);
        if (cli.Flag("--conformance-plugin")) return RunPlugin(cli, stdout, stderr);

        var syntax = SyntaxOption.Parse(cli.Option("--syntax"), AsmSyntax.Auto);
        // The JIT by default; --trace needs the interpreter, which sees every instruction.
        var engine = ParseEngine(cli.Option("--engine", cli.Flag("--trace") ? "interpreter" : "jit"));
        long budget = ParseBudget(cli.Option("--budget"));
        bool trace = cli.Flag("--trace");
        var memory = ReadBytes(cli, "--mem", "--mem-file");
        var contextBytes = ReadBytes(cli, "--ctx", "--ctx-file");
        bool contextWritable = cli.Flag("--ctx-writable");
        string? section = cli.Option("--section");
        bool json = cli.Flag("--json");
        foreach (var pluginOnly in new[] { "--debug", "--elf" })
            if (cli.Flag(pluginOnly)) throw new CliUsageException($"{pluginOnly} applies to --conformance-plugin mode only");
        if (cli.Option("--program") is not null) throw new CliUsageException("--program applies to --conformance-plugin mode only");
        if (json && trace) throw new CliUsageException("--trace prints text: give --trace or --json, not both");
        if (cli.Positional.Count != 1) throw new CliUsageException("expected exactly one FILE");
        if (memory is not null && contextBytes is not null) throw new CliUsageException("give either --mem or --ctx, not both");
        string path = cli.Positional[0];

        var source = ExecProgramSource.Load(path, syntax, section);
        if (!source.IsOk) return Report(stderr, source.Error!, ExitCodes.BadInput);
        using var owned = source.Value;
        var program = source.Value.Program;
        var prepared = BpfEngines.Prepare(program, engine);
        if (!prepared.IsOk)
        {
            stderr.WriteLine($"seccomp-ebpf exec: {path}: {prepared.Error}");
            return ExpectedFailure(source.Value, stdout) ?? ExitCodes.Rejected;
        }

        using var context = new BpfRunContext { InstructionBudget = budget };
        var result = RunOnce(prepared.Value, context, contextBytes, contextWritable, memory ?? source.Value.Memory ?? [], trace ? stdout : null);
        if (!json)
            foreach (var line in context.TraceLog.Lines) stdout.WriteLine($"trace_printk: {line}");
        if (!result.IsOk)
        {
            // The budget is ours to raise, with --budget (the engine's message knows no options).
            var raise = result.InstructionsExecuted > budget ? $"; give --budget N to allow more than {budget}" : "";
            stderr.WriteLine($"seccomp-ebpf exec: {CliFiles.DisplayName(path)}: {result.Error} (after {result.InstructionsExecuted} instructions{raise})");
            if (json) ExecJson.Write(stdout, result, source.Value, context.TraceLog.Lines);
            return ExpectedFailure(source.Value, json ? TextWriter.Null : stdout) ?? ExitCodes.RuntimeError;
        }
        if (json)
        {
            ExecJson.Write(stdout, result, source.Value, context.TraceLog.Lines);
            return CheckExpectation(source.Value, result.R0, TextWriter.Null);
        }
        stdout.WriteLine($"r0 = 0x{result.R0:x} ({result.R0}, signed {(long)result.R0})");
        stdout.WriteLine($"instructions executed: {result.InstructionsExecuted}");
        return CheckExpectation(source.Value, result.R0, stdout);
    }

    private static unsafe BpfRunResult RunOnce(IBpfExecutable executable, BpfRunContext context, byte[]? contextBytes, bool writable, byte[] memory, TextWriter? trace)
    {
        fixed (byte* ctx = contextBytes)
        fixed (byte* mem = memory)
        {
            var args = contextBytes is not null
                ? BpfRunArgs.ForContext(ctx, contextBytes.Length, writable)
                : BpfRunArgs.ForMemory(mem, memory.Length);
            if (trace is not null && executable is InterpretedProgram interpreted)
            {
                var code = executable.Program.Instructions;
                return interpreted.RunTraced(context, args, (int pc, in Instruction insn, ReadOnlySpan<ulong> r, int depth) =>
                {
                    Instruction? next = pc + 1 < code.Length ? code[pc + 1] : null;
                    trace.WriteLine($"{new string(' ', depth * 2)}{pc,5}: {InstructionFormatter.Format(insn, next),-40} ; {Registers(r)}");
                });
            }
            if (trace is not null) trace.WriteLine("(--trace is available with the interpreter only)");
            return executable.Run(context, args);
        }
    }

    private static string Registers(ReadOnlySpan<ulong> r)
    {
        var parts = new List<string>();
        for (int i = 0; i < 10; i++)
            if (r[i] != 0) parts.Add($"r{i}=0x{r[i]:x}");
        return string.Join(' ', parts);
    }

    /// <summary>A conformance test that expects an error is satisfied by one: exit 0 and say so.</summary>
    private static int? ExpectedFailure(ExecProgramSource source, TextWriter stdout)
    {
        if (!source.ExpectsError) return null;
        stdout.WriteLine("expected: an error (matches)");
        return ExitCodes.Ok;
    }

    private static int CheckExpectation(ExecProgramSource source, ulong r0, TextWriter stdout)
    {
        if (source.ExpectsError)
        {
            stdout.WriteLine("expected: an error (the test file has '-- error'), but the program ran");
            return ExitCodes.Rejected;
        }
        if (source.ExpectedResult is not { } expected) return ExitCodes.Ok;
        bool ok = expected == r0;
        stdout.WriteLine(ok ? $"expected: 0x{expected:x} (matches)" : $"expected: 0x{expected:x} (DIFFERS)");
        return ok ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    private int RunPlugin(CliArgs cli, TextWriter stdout, TextWriter stderr)
    {
        string? program = cli.Option("--program");
        bool debug = cli.Flag("--debug");
        foreach (var option in Syntax.Options.Select(o => o.Name).Where(n => n is not ("--conformance-plugin" or "--program" or "--debug" or "--engine" or "--elf")))
            if (cli.Has(option)) throw new CliUsageException($"{option} does not apply to --conformance-plugin mode (it takes --program, --engine, --debug)");
        var engine = ParseEngine(cli.Option("--engine", "jit"));
        if (cli.Flag("--elf"))
        {
            (debug ? stdout : stderr).WriteLine("ELF input (--elf) is not supported by this plugin; run the runner without --elf true");
            return ConformancePlugin.Failed;
        }
        if (cli.Positional.Count > 1) throw new CliUsageException("plugin mode takes at most one argument: the memory as hex bytes");
        program ??= Input.ReadToEnd();
        return ConformancePlugin.Run(program, cli.Positional.FirstOrDefault(), engine, stdout, stderr, debug);
    }

    private static int Report(TextWriter stderr, BpfError error, int exitCode)
    {
        stderr.WriteLine($"seccomp-ebpf exec: {error}");
        return exitCode;
    }

    private static byte[]? ReadBytes(CliArgs cli, string hexOption, string fileOption)
    {
        var hex = cli.Option(hexOption);
        var file = cli.Option(fileOption);
        if (hex is not null && file is not null) throw new CliUsageException($"give either {hexOption} or {fileOption}, not both");
        if (file is not null) return CliFiles.ReadBytes(file, allowEmpty: true);
        if (hex is null) return null;
        var parsed = HexBytes.Parse(hex, hexOption);
        return parsed.IsOk ? parsed.Value : throw new CliUsageException(parsed.Error!.Message);
    }


    private static EngineKind ParseEngine(string text) =>
        BpfEngines.TryParseKind(text, out var kind) ? kind : throw new CliUsageException($"--engine must be interpreter or jit, not '{text}'");

    private static long ParseBudget(string? text)
    {
        if (text is null) return BpfRunContext.DefaultInstructionBudget;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new CliUsageException($"--budget must be a positive number of instructions, not '{text}'");
    }
}
