using SeccompEbpf.Classic;
using SeccompEbpf.Model;

namespace SeccompEbpf.Tests.Policy;

/// <summary>Runs two filters on the same inputs with the classic interpreter and collects where they differ.</summary>
internal static class FilterComparison
{
    public sealed record Result(long Inputs, IReadOnlyList<string> Differences, long DifferenceCount, SeccompData? FirstDifference = null);

    /// <summary>Compares in parallel over chunks of the inputs (the inputs are materialised once).</summary>
    public static Result Compare(ClassicInstruction[] expected, ClassicInstruction[] actual, IEnumerable<SeccompData> inputs,
        Func<SeccompData, uint>? specification = null)
    {
        var all = inputs.ToArray();
        const int Chunk = 1 << 16;
        var parts = new Result[(all.Length + Chunk - 1) / Chunk];
        Parallel.For(0, parts.Length, p =>
            parts[p] = CompareSequential(expected, actual, all.AsSpan(p * Chunk, Math.Min(Chunk, all.Length - p * Chunk)).ToArray(), specification));
        return new Result(all.Length, parts.SelectMany(r => r.Differences).Take(10).ToList(), parts.Sum(r => r.DifferenceCount), parts.FirstOrDefault(r => r.FirstDifference is not null)?.FirstDifference);
    }

    private static Result CompareSequential(ClassicInstruction[] expected, ClassicInstruction[] actual, SeccompData[] inputs,
        Func<SeccompData, uint>? specification)
    {
        long count = 0, diffCount = 0;
        SeccompData? first = null;
        var diffs = new List<string>();
        foreach (var data in inputs)
        {
            count++;
            uint e = ClassicInterpreter.Run(expected, in data, out _);
            uint a = ClassicInterpreter.Run(actual, in data, out _);
            uint s = specification?.Invoke(data) ?? a;
            if (e != a || s != a)
            {
                diffCount++;
                first ??= data;
                if (diffs.Count < 10)
                    diffs.Add($"arch 0x{data.Arch:x8} nr {data.Nr} (0x{(uint)data.Nr:x}) args [{data.Args}]: reference 0x{e:x8}, ours 0x{a:x8}, plan 0x{s:x8}");
            }
        }
        return new Result(count, diffs, diffCount, first);
    }
}
