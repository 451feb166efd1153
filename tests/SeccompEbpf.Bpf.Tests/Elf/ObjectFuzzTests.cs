using System.Buffers.Binary;
using System.Diagnostics;
using SeccompEbpf.Bpf.Elf;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>
/// Mutates real clang objects (fixed seeds, so failures reproduce) in the places a loader
/// trusts: the ELF header, section headers, symbols, relocations, BTF and .BTF.ext, plus
/// truncation and random bytes anywhere. Every case must load or fail with an error value, and
/// every object that loads must also dump (objdump) without an exception.
/// </summary>
public class ObjectFuzzTests
{
    private const int CasesPerObject = 2_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private enum Target { Truncate, ElfHeader, SectionHeaders, Symbols, Relocations, Btf, BtfExt, Code, Anywhere }

    [Fact]
    public async Task Mutated_objects_load_or_fail_with_an_error_value_never_an_exception_or_a_hang()
    {
        var sources = ExampleFilters.All.Select(ClangCompiler.ExamplePath)
            .Append(Path.Combine(ClangCompiler.TestSourcesDirectory, "multi_program.c"))
            .ToList();
        var objects = sources.Select(s => File.ReadAllBytes(ClangCompiler.CompileOrSkip(s))).ToList();

        int cases = 0, loaded = 0;
        var failures = new List<string>();
        string current = "";
        var cancel = TestContext.Current.CancellationToken;
        var run = Task.Run(() =>
        {
            for (int o = 0; o < objects.Count; o++)
            {
                var layout = Layout.Of(objects[o]);
                var random = new Random(1000 + o);
                for (int i = 0; i < CasesPerObject; i++)
                {
                    var target = (Target)(i % Enum.GetValues<Target>().Length);
                    var mutated = Mutate(objects[o], layout, target, random);
                    current = $"{Path.GetFileName(sources[o])} case {i} ({target})";
                    try
                    {
                        var result = BpfObjectLoader.Load(mutated, "fuzz.o");
                        if (result.IsOk)
                        {
                            loaded++;
                            // What loads must also print: objdump is how users look at odd objects.
                            ObjectDumper.Dump(result.Value, TextWriter.Null, linkedPrograms: true);
                        }
                        else if (result.Error!.Location != "fuzz.o" || result.Error.Message.Length < 12)
                            failures.Add($"{current}: unclear error '{result.Error.Message}'");
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{current}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    }
                    cases++;
                }
            }
        }, cancel);
        var clock = Stopwatch.StartNew();
        try { await run.WaitAsync(Budget, cancel); }
        catch (TimeoutException) { Assert.Fail($"fuzzing did not finish in {Budget.TotalSeconds} s; stuck at {current}"); }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases threw or gave unclear errors:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(cases >= 10_000, $"only {cases} cases ran");
        // Some mutations hit bytes the loader never reads: those objects must still load.
        Assert.InRange(loaded, 1, cases - 1);
        TestContext.Current.SendDiagnosticMessage($"{cases} mutated objects, {loaded} loaded, {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static byte[] Mutate(byte[] original, Layout layout, Target target, Random random)
    {
        if (target == Target.Truncate)
            return original[..random.Next(original.Length)];
        var data = (byte[])original.Clone();
        var (start, length) = target switch
        {
            Target.ElfHeader => (0, ElfConstants.HeaderSize),
            Target.SectionHeaders => layout.SectionHeaders,
            Target.Symbols => layout.Symbols,
            Target.Relocations => layout.Relocations[random.Next(layout.Relocations.Count)],
            Target.Btf => layout.Btf,
            Target.BtfExt => layout.BtfExt,
            Target.Code => layout.Code[random.Next(layout.Code.Count)],
            _ => (0, data.Length),
        };
        if (length <= 0) (start, length) = (0, data.Length);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int at = start + random.Next(length);
            switch (random.Next(4))
            {
                case 0: data[at] = (byte)random.Next(256); break;
                case 1: data[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: WriteWord(data, at, Interesting[random.Next(Interesting.Length)]); break;
                default: WriteWord(data, at & ~3, (uint)random.Next()); break;
            }
        }
        return data;
    }

    private static readonly uint[] Interesting = [0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

    private static void WriteWord(byte[] data, int at, uint value)
    {
        if (at + 4 <= data.Length) BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), value);
        else data[at] = (byte)value;
    }

    /// <summary>Byte ranges (start, length) of the structures worth mutating, taken from the intact object.</summary>
    private sealed record Layout((int, int) SectionHeaders, (int, int) Symbols, List<(int, int)> Relocations,
        (int, int) Btf, (int, int) BtfExt, List<(int, int)> Code)
    {
        public static Layout Of(byte[] data)
        {
            var elf = ElfReader.Read(data).Value;
            int shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(40));
            (int, int) Range(ElfSection? s) => s is null ? (0, 0) : ((int)s.Offset, (int)s.Size);
            var relocations = elf.RelocationTables.Select(t => Range(t.Table)).ToList();
            var code = elf.Sections.Where(s => s.IsExecutable && s.Size > 0).Select(Range).ToList();
            return new Layout(
                (shoff, elf.Sections.Count * ElfConstants.SectionHeaderSize),
                Range(elf.Sections.FirstOrDefault(s => s.Type == ElfConstants.SectionSymTab)),
                relocations.Count > 0 ? relocations : [(0, 0)],
                Range(elf.FindSection(".BTF")),
                Range(elf.FindSection(".BTF.ext")),
                code);
        }
    }
}
