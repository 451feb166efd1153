using System.Runtime.InteropServices;
using SeccompEbpf.Bpf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Engine.Jit;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>
/// Runs one program twice per input, on the same maps, stack and caller memory: first the fully
/// checked JIT build, then a build with some checks removed, and compares R0, errors and every
/// byte of memory afterwards. The unchecked build only runs on an input after the checked run of
/// that input ended without a fault, and both runs are deterministic (same addresses, same
/// random numbers and clock), so it executes exactly the accesses the checked run proved harmless:
/// a wrong proof shows up as a fault of the checked run at a "proven" instruction, never as a wild
/// access in this process.
/// </summary>
internal sealed class UncheckedRunComparer(int inputsPerProgram)
{
    public enum Verdict { Same, ProvenAccessFaulted, CheckedRunFaulted, Differs }

    public sealed record Outcome(Verdict Verdict, string Detail, int Runs);

    public Outcome Compare(BpfProgram program, IBpfExecutable withoutChecks, IReadOnlySet<int> claimedProven)
    {
        var checkedBuild = BpfJit.Compile(program);
        if (!checkedBuild.IsOk) return new Outcome(Verdict.CheckedRunFaulted, $"the checked build failed: {checkedBuild.Error}", 0);
        using var context = new BpfRunContext { MonotonicNanoseconds = () => 1_000_000 };
        var memory = new byte[64];
        for (int input = 0; input < inputsPerProgram; input++)
        {
            var before = Snapshot(program, memory);
            context.RandomSeed = (ulong)(input * 7919 + 1);
            var expected = checkedBuild.Value.RunWithMemory(context, memory);
            if (expected.Error is { } fault)
                return fault.InstructionIndex >= 0 && claimedProven.Contains(fault.InstructionIndex)
                    ? new Outcome(Verdict.ProvenAccessFaulted, $"input {input}: instruction {fault.InstructionIndex} is claimed proven but the checked run faulted there: {fault}", input)
                    : new Outcome(Verdict.CheckedRunFaulted, $"input {input}: {fault}", input);
            var expectedMemory = Snapshot(program, memory);

            Restore(program, memory, before);
            context.RandomSeed = (ulong)(input * 7919 + 1);
            var actual = withoutChecks.RunWithMemory(context, memory);
            var actualMemory = Snapshot(program, memory);
            if (actual.Error is not null || actual.R0 != expected.R0)
                return new Outcome(Verdict.Differs, $"input {input}: checked run gave r0={expected.R0}, unchecked {actual}", input);
            for (int i = 0; i < expectedMemory.Length; i++)
                if (!expectedMemory[i].AsSpan().SequenceEqual(actualMemory[i]))
                    return new Outcome(Verdict.Differs, $"input {input}: memory region {i} differs after the unchecked run", input);
        }
        return new Outcome(Verdict.Same, "", inputsPerProgram);
    }

    /// <summary>Every byte the program can change: caller memory and each map region.</summary>
    private static byte[][] Snapshot(BpfProgram program, byte[] memory)
    {
        var regions = program.MapRegions;
        var copy = new byte[regions.Length + 1][];
        copy[0] = (byte[])memory.Clone();
        for (int i = 0; i < regions.Length; i++)
        {
            copy[i + 1] = new byte[regions[i].Length];
            Marshal.Copy((nint)regions[i].Start, copy[i + 1], 0, copy[i + 1].Length);
        }
        return copy;
    }

    private static void Restore(BpfProgram program, byte[] memory, byte[][] snapshot)
    {
        snapshot[0].CopyTo(memory, 0);
        var regions = program.MapRegions;
        for (int i = 0; i < regions.Length; i++)
            Marshal.Copy(snapshot[i + 1], 0, (nint)regions[i].Start, snapshot[i + 1].Length);
    }
}
