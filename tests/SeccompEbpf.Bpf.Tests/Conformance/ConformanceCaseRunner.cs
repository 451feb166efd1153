using SeccompEbpf.Bpf.Conformance;
using SeccompEbpf.Bpf.Engine;

namespace SeccompEbpf.Bpf.Tests.Conformance;

/// <summary>What happened to one conformance file: refused at some stage, or ran to a value of r0.</summary>
internal enum ConformanceStage { ParseError, AssemblyError, PrepareError, RunError, Ran }

internal sealed record ConformanceOutcome(string File, ConformanceStage Stage, ulong R0, string Detail, ulong? ExpectedResult, bool ExpectsError)
{
    public bool Refused => Stage != ConformanceStage.Ran;

    /// <summary>The suite's notion of a pass: an expected error was produced, or r0 equals the expected result.</summary>
    public bool Passed => ExpectsError ? Refused : !Refused && ExpectedResult == R0;

    /// <summary>A negative file is rejected when we refuse it or compute something other than its (wrong) expectation.</summary>
    public bool RejectedAsNegative => Refused || (ExpectedResult is { } expected && expected != R0);

    public override string ToString() => Stage == ConformanceStage.Ran
        ? $"{File}: r0 = 0x{R0:x}, expected {(ExpectsError ? "an error" : ExpectedResult is { } e ? $"0x{e:x}" : "nothing")}"
        : $"{File}: {Stage}: {Detail}";
}

/// <summary>
/// Runs a conformance file as the suite's runner does with a plugin: r1 = the memory, r2 = its
/// length; the caller compares r0 with <c>-- result</c>, or expects a refusal for <c>-- error</c>.
/// </summary>
internal static class ConformanceCaseRunner
{
    public static ConformanceOutcome Run(string path, EngineKind engine = EngineKind.Interpreter)
    {
        string name = Path.GetFileName(path);
        var parsed = ConformanceTestFile.Load(path);
        if (!parsed.IsOk) return new(name, ConformanceStage.ParseError, 0, parsed.Error!.ToString(), null, false);
        var test = parsed.Value;
        ConformanceOutcome Outcome(ConformanceStage stage, ulong r0, string detail) => new(name, stage, r0, detail, test.ExpectedResult, test.ExpectsError);

        var code = test.Program();
        if (!code.IsOk) return Outcome(ConformanceStage.AssemblyError, 0, code.Error!.ToString());
        var prepared = BpfEngines.Prepare(new BpfProgram(name, code.Value), engine);
        if (!prepared.IsOk) return Outcome(ConformanceStage.PrepareError, 0, prepared.Error!.ToString());

        using var context = new BpfRunContext();
        var memory = (byte[])test.Memory.Clone();
        var result = prepared.Value.RunWithMemory(context, memory);
        return result.IsOk
            ? Outcome(ConformanceStage.Ran, result.R0, $"r0 = 0x{result.R0:x}")
            : Outcome(ConformanceStage.RunError, 0, result.Error!.ToString());
    }
}
