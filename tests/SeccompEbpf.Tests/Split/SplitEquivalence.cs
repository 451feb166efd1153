using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Split;

namespace SeccompEbpf.Tests.Split;

/// <summary>
/// The property the split must keep: the kernel filter, with notified calls answered by the chain
/// evaluator, returns exactly what the whole chain returns. Two copies of the policy (their own
/// maps) see the same call sequence; calls the kernel decides alone never run the eBPF programs,
/// which is only right because a static verdict touches no state.
/// </summary>
internal static class SplitEquivalence
{
    public static void Check(Func<PolicyStack> makeStack, IReadOnlyList<SeccompData> calls)
    {
        var splitStack = makeStack();
        var plan = SplitPlanner.Plan(splitStack, [Syscalls.SyscallArch.X86_64, Syscalls.SyscallArch.I386]);
        var kernel = KernelFilterBuilder.Build(plan);
        Assert.True(kernel.IsOk, kernel.Error?.ToString());
        var kernelProgram = ClassicChecker.Check(kernel.Value).Value;
        using var supervisor = ChainEvaluator.Create(splitStack).Value;
        using var reference = ChainEvaluator.Create(makeStack()).Value;
        for (int i = 0; i < calls.Count; i++)
        {
            var data = calls[i];
            uint expected = reference.Decide(in data, null).Action.Value;
            uint inKernel = kernelProgram.Run(in data);
            uint actual = new SeccompAction(inKernel).ActionBits == SeccompAction.UserNotif
                ? supervisor.Decide(in data, null).Action.Value
                : inKernel;
            Assert.True(expected == actual,
                $"call {i}: nr={data.Nr} arch=0x{data.Arch:x} args=[{data.Args}]: chain {new SeccompAction(expected)}, split {new SeccompAction(actual)} (kernel said {new SeccompAction(inKernel)})");
        }
    }

    /// <summary>Random calls biased towards interesting numbers: real syscalls, the program's constants, arches in the plan and not.</summary>
    public static List<SeccompData> RandomCalls(int seed, int count, params int[] favouriteNumbers)
    {
        var random = new Random(seed);
        uint[] arches = [AuditArch.X86_64, AuditArch.X86_64, AuditArch.X86_64, AuditArch.I386, AuditArch.AArch64, 0];
        ulong[] argValues = [0, 1, 999, 998, 0xffffffff, 0x20000, 0x10000000, 0x40000, 0x80040000, ulong.MaxValue];
        var calls = new List<SeccompData>(count);
        for (int i = 0; i < count; i++)
        {
            int nr = random.Next(4) switch
            {
                0 when favouriteNumbers.Length > 0 => favouriteNumbers[random.Next(favouriteNumbers.Length)],
                1 => random.Next(),
                2 => random.Next(-2, 2) | (random.Next(2) == 0 ? 0 : AuditArch.X32SyscallBit),
                _ => random.Next(0, 460),
            };
            var args = new SeccompArgs();
            for (int a = 0; a < 6; a++) args[a] = random.Next(3) == 0 ? (ulong)random.NextInt64() : argValues[random.Next(argValues.Length)];
            calls.Add(new SeccompData(nr, arches[random.Next(arches.Length)], (ulong)random.NextInt64(), args));
        }
        return calls;
    }
}
