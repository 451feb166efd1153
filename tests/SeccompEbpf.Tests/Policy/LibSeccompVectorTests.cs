using System.Globalization;
using System.Text;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Classic;
using SeccompEbpf.Model;
using SeccompEbpf.Policy;
using SeccompEbpf.Policy.Compiler;
using SeccompEbpf.Syscalls;
using SeccompEbpf.TestSupport;

namespace SeccompEbpf.Tests.Policy;

/// <summary>
/// libseccomp's own regression vectors (its bpf-sim tests, with their filters written as OCI
/// profiles: shared/testdata/libseccomp-vectors, see its README.md), replayed the way libseccomp's
/// tests/regression script replays them: each profile compiled like `compile --format raw`
/// (native x86_64), each vector expanded over its architectures and ranges and run on our classic
/// interpreter. The eBPF compiler's program, run on the engine, must agree too. Every vector of
/// every architecture must pass.
/// </summary>
public class LibSeccompVectorTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every vector for a native x86_64: the data's README counts 7,522 without the 206 of the
    /// ABIs libseccomp 2.5.4 lacks (loongarch64 86, m68k 24, sh 72, sheb 24).
    /// </summary>
    private const int ExpectedVectors = 7_728;

    private const SyscallArch Native = SyscallArch.X86_64;

    // The architecture classes of libseccomp's tests/regression script, as it lists them (its
    // 64-bit list leaves out mipsel64 and ppc64le; no vector uses that class).
    private static readonly string[] LittleEndian = Split("x86 x86_64 x32 arm aarch64 loongarch64 mipsel mipsel64 mipsel64n32 ppc64le riscv64 sh");
    private static readonly string[] BigEndian = Split("m68k mips mips64 mips64n32 parisc parisc64 ppc ppc64 s390 s390x sheb");
    private static readonly string[] Bits32 = Split("x86 x32 arm m68k mips mipsel mips64n32 mipsel64n32 parisc ppc s390 sheb sh");
    private static readonly string[] Bits64 = Split("x86_64 aarch64 loongarch64 mips64 parisc64 ppc64 riscv64 s390x");

    /// <summary>
    /// A name the ABI lacks: libseccomp's resolver gives a pseudo number, -10000 and below for
    /// ordinary calls. No rule is ever emitted for one, so every such number gets the same verdict.
    /// </summary>
    private const int PseudoSyscall = -10_001;

    private sealed class ArchCount
    {
        public int Vectors, ClassicFailures, EbpfFailures;
    }

    [Fact]
    public void EveryVectorGetsLibSeccompsVerdictOnEveryArchitecture()
    {
        var dir = SharedData.TryDirectory(SharedData.LibSeccompVectors, out var reason);
        Assert.SkipWhen(dir is null, reason);
        var counts = SyscallArchInfo.All.ToDictionary(a => a, _ => new ArchCount());
        var failures = new List<string>();
        int files = 0;
        foreach (var testsFile in Directory.GetFiles(dir!, "*.tests").Order(StringComparer.Ordinal))
        {
            files++;
            var name = Path.GetFileNameWithoutExtension(testsFile);
            var profile = ProfileParser.ParseFile(Path.ChangeExtension(testsFile, ".json"));
            Assert.True(profile.Ok, $"{name}.json: {string.Join("; ", profile.Diagnostics)}");
            var plan = PolicyResolver.Resolve(profile.Profile!, new ProfileTarget { NativeArch = Native }).Plan;
            var classic = ClassicPolicyCompiler.Compile(plan);
            Assert.True(classic.IsOk, $"{name}: {classic.Error}");
            var ebpf = BpfEngines.Prepare(new BpfProgram(name, EbpfPolicyCompiler.Compile(plan).Value)).Value;

            foreach (var (line, lineNumber) in File.ReadLines(testsFile).Select((l, i) => (l, i + 1)))
            {
                if (line.StartsWith("test type:") || line.TrimStart().StartsWith('#') || line.Trim().Length == 0) continue;
                var column = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                Assert.True(column.Length == 10, $"{name}.tests:{lineNumber}: expected 10 columns, got {column.Length}");
                uint expected = ParseResult(column[9]);
                foreach (var arch in ExpandArches(column[1]))
                {
                    var (low, high) = Range(column[2]);
                    long firstNr = ParseSyscall(low, arch), lastNr = ParseSyscall(high, arch);
                    for (long nr = firstNr; nr <= lastNr; nr++)
                        foreach (var args in ExpandArguments(column[3..9]))
                        {
                            var data = new SeccompData((int)nr, arch.AuditArch(), 0, args);
                            var count = counts[arch];
                            count.Vectors++;
                            uint ours = ClassicInterpreter.Run(classic.Value, in data);
                            var run = ebpf.RunWithContext(BpfExecutableExtensions.ThreadContext, data.ToBytes());
                            uint ebpfVerdict = run.IsOk ? (uint)run.R0 : uint.MaxValue;
                            if (ours != expected) count.ClassicFailures++;
                            if (ebpfVerdict != expected) count.EbpfFailures++;
                            if ((ours != expected || ebpfVerdict != expected) && failures.Count < 20)
                                failures.Add($"{name}.tests:{lineNumber} {arch.ShortName()} nr {nr} args [{args}]: libseccomp {column[9]} (0x{expected:x8}), classic 0x{ours:x8}, eBPF 0x{ebpfVerdict:x8}");
                        }
                }
            }
        }

        var report = new StringBuilder($"{files} libseccomp bpf-sim tests, native {Native.ShortName()}\n");
        report.AppendLine($"{"arch",-12} {"vectors",8} {"classic failures",17} {"eBPF failures",14}");
        foreach (var (arch, c) in counts.Where(kv => kv.Value.Vectors > 0))
            report.AppendLine($"{arch.ShortName(),-12} {c.Vectors,8:N0} {c.ClassicFailures,17} {c.EbpfFailures,14}");
        int total = counts.Values.Sum(c => c.Vectors);
        int classicFailures = counts.Values.Sum(c => c.ClassicFailures), ebpfFailures = counts.Values.Sum(c => c.EbpfFailures);
        report.AppendLine($"{"all",-12} {total,8:N0} {classicFailures,17} {ebpfFailures,14}");
        output.WriteLine(report.ToString());
        foreach (var f in failures) output.WriteLine(f);

        Assert.True(classicFailures == 0 && ebpfFailures == 0,
            $"{classicFailures} classic and {ebpfFailures} eBPF failures of {total} vectors:\n{report}\n{string.Join("\n", failures)}");
        Assert.Equal(ExpectedVectors, total);
        Assert.All(SyscallArchInfo.All, a => Assert.True(counts[a].Vectors > 0, $"no vector for {a.ShortName()}"));
    }

    /// <summary>libseccomp's endianness classes are our facts: the harness and the compiler agree on which ABIs are big-endian.</summary>
    [Fact]
    public void RegressionScriptByteOrderClassesMatchTheArchFacts()
    {
        var big = SyscallArchInfo.All.Where(a => a.Facts().BigEndian).Select(a => a.ShortName()).Order();
        var little = SyscallArchInfo.All.Where(a => !a.Facts().BigEndian).Select(a => a.ShortName()).Order();
        Assert.Equal(BigEndian.Order(), big);
        Assert.Equal(LittleEndian.Order(), little);
    }

    /// <summary>The regression script's arch column: all, all_le, +all_be, +x, -x, x (only if native), left to right.</summary>
    private static List<SyscallArch> ExpandArches(string spec)
    {
        var chosen = new List<string>();
        var avoid = new HashSet<string>();
        string native = Native.ShortName();
        foreach (var item in spec.Split(','))
        {
            string[]? cls = ClassOf(item.TrimStart('+'));
            if (item == "all") chosen.Add(native);
            else if (cls is not null && item.StartsWith('+')) chosen.AddRange(cls);
            else if (cls is not null) { if (cls.Contains(native)) chosen.Add(native); }
            else if (item.StartsWith('+')) chosen.Add(item[1..]);
            else if (item.StartsWith('-')) avoid.Add(item[1..]);
            else if (item == native) chosen.Add(item);
        }
        return chosen.Where(a => !avoid.Contains(a)).Select(a =>
            SyscallArchInfo.TryParse(a, out var arch) ? arch : throw new InvalidDataException($"unknown arch '{a}' in '{spec}'")).ToList();
    }

    private static string[]? ClassOf(string name) => name switch
    {
        "all_le" => LittleEndian,
        "all_be" => BigEndian,
        "all_32" => Bits32,
        "all_64" => Bits64,
        _ => null,
    };

    /// <summary>"LO-HI" (both ends alphanumeric) or a single value, as the script's get_range splits it.</summary>
    private static (string Low, string High) Range(string text)
    {
        int dash = text.IndexOf('-', 1);
        return dash > 0 && !text.StartsWith('-') ? (text[..dash], text[(dash + 1)..]) : (text, text);
    }

    /// <summary>A number, or a name resolved as `scmp_sys_resolver -t` does: on ABIs that multiplex, socket and IPC calls give socketcall/ipc.</summary>
    private static long ParseSyscall(string text, SyscallArch arch)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return number;
        var table = SyscallTable.For(arch);
        if (MultiplexedSyscalls.TryGet(arch, text, out var multiplexer, out _))
            return table.TryGetNumber(multiplexer, out var muxNr) ? muxNr : throw new InvalidDataException($"{arch.ShortName()} has no {multiplexer}");
        if (table.TryGetNumber(text, out var nr)) return nr;
        // libseccomp's pseudo numbers: -100 - call (socket), -200 - call (ipc), else -10000 and below.
        if (MultiplexedSyscalls.TryGetFamily(text, out var family, out var call))
            return family == MultiplexedSyscalls.SocketCall ? -100 - call : -200 - call;
        return PseudoSyscall;
    }

    /// <summary>The cartesian product of the six argument columns ("N" = 0, "LO-HI" = each value).</summary>
    private static IEnumerable<SeccompArgs> ExpandArguments(string[] columns)
    {
        var ranges = columns.Select(c =>
        {
            if (c == "N") return (Low: 0UL, High: 0UL);
            var (low, high) = Range(c);
            return (Low: ParseValue(low), High: ParseValue(high));
        }).ToArray();
        var values = new ulong[6];
        IEnumerable<SeccompArgs> Expand(int index)
        {
            if (index == 6)
            {
                var args = new SeccompArgs();
                values.CopyTo((Span<ulong>)args);
                yield return args;
                yield break;
            }
            for (ulong v = ranges[index].Low; ; v++)
            {
                values[index] = v;
                foreach (var a in Expand(index + 1)) yield return a;
                if (v == ranges[index].High) break;
            }
        }
        return Expand(0);
    }

    /// <summary>strtoull(text, NULL, 0): 0x hex, a leading 0 octal, else decimal; a minus sign wraps.</summary>
    private static ulong ParseValue(string text)
    {
        bool negative = text.StartsWith('-');
        var t = negative ? text[1..] : text;
        ulong value = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.ToUInt64(t[2..], 16)
            : t.Length > 1 && t[0] == '0' ? Convert.ToUInt64(t, 8)
            : ulong.Parse(t, CultureInfo.InvariantCulture);
        return negative ? 0 - value : value;
    }

    private static uint ParseResult(string text)
    {
        uint Data() => uint.Parse(text[(text.IndexOf('(') + 1)..^1], CultureInfo.InvariantCulture);
        return text switch
        {
            "KILL_PROCESS" => SeccompAction.KillProcess,
            "KILL" => SeccompAction.KillThread,
            "TRAP" => SeccompAction.Trap,
            "LOG" => SeccompAction.Log,
            "ALLOW" => SeccompAction.Allow,
            _ when text.StartsWith("ERRNO(") => SeccompAction.Errno | Data(),
            _ when text.StartsWith("TRACE(") => SeccompAction.Trace | Data(),
            _ => throw new InvalidDataException($"unknown result '{text}'"),
        };
    }

    private static string[] Split(string list) => list.Split(' ');
}
