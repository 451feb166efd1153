using System.Text;
using SeccompEbpf.Bpf.Elf;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;

namespace SeccompEbpf.Bpf.Tests.Elf;

/// <summary>The example filters, as clang builds them, give the expected seccomp actions when run.</summary>
public class ExampleRunTests
{
    private const uint Allow = 0x7fff0000, KillProcess = 0x80000000, ErrnoEperm = 0x00050001, ErrnoEacces = 0x0005000d, Log = 0x7ffc0000;
    private const int NrClose = 3, NrGetpid = 39, NrExecve = 59, NrOpenat = 257, NrExecveat = 322, NrRead = 0;

    public static TheoryData<string, string, EngineKind> Runs()
    {
        var data = new TheoryData<string, string, EngineKind>();
        foreach (var (compiler, cpu) in ExampleFilters.Builds)
            foreach (var engine in new[] { EngineKind.Interpreter, EngineKind.Jit })
                data.Add(compiler, cpu, engine);
        return data;
    }

    private static ExampleRunner Runner(string example, string compiler, string cpu, EngineKind engine,
        HelperTable? helpers = null, object? environment = null)
    {
        var obj = BpfObjectLoader.LoadFile(ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(example), compiler, cpu));
        Assert.True(obj.IsOk, obj.Error?.ToString());
        return new ExampleRunner(obj.Value, engine, helpers, environment);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Close_999_is_refused_on_x86_64_and_other_architectures_are_killed(string compiler, string cpu, EngineKind engine)
    {
        using var run = Runner(ExampleFilters.CloseArch, compiler, cpu, engine);
        Assert.Equal(ErrnoEperm, run.Run(NrClose, args: 999));
        Assert.Equal(Allow, run.Run(NrClose, args: 998));
        Assert.Equal(Allow, run.Run(NrClose, args: 999UL | 1UL << 32));
        Assert.Equal(Allow, run.Run(NrGetpid, args: 999));
        Assert.Equal(KillProcess, run.Run(NrClose, ExampleRunner.ArchAarch64, 999));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Getpid_is_allowed_three_times_then_refused(string compiler, string cpu, EngineKind engine)
    {
        using var run = Runner(ExampleFilters.GetpidCounter, compiler, cpu, engine);
        Assert.Equal([Allow, Allow, Allow, ErrnoEperm, ErrnoEperm], Enumerable.Range(0, 5).Select(_ => run.Run(NrGetpid)));
        Assert.Equal(Allow, run.Run(NrClose));
        var counter = new byte[8];
        Assert.True(run.Map(".bss").TryLookup(new byte[4], counter));
        Assert.Equal(3UL, BitConverter.ToUInt64(counter));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void The_limit_in_rodata_can_be_set_before_loading(string compiler, string cpu, EngineKind engine)
    {
        var obj = BpfObjectLoader.LoadFile(ClangCompiler.CompileOrSkip(ClangCompiler.ExamplePath(ExampleFilters.GetpidCounter), compiler, cpu)).Value;
        var rodata = obj.Maps[obj.FindMapIndex(".rodata")];
        BitConverter.GetBytes(1UL).CopyTo(rodata.InitialValue!, 0);
        using var run = new ExampleRunner(obj, engine);
        Assert.Equal([Allow, ErrnoEperm], Enumerable.Range(0, 2).Select(_ => run.Run(NrGetpid)));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Policy_map_filled_from_csharp_decides_each_syscall(string compiler, string cpu, EngineKind engine)
    {
        using var run = Runner(ExampleFilters.PolicyMap, compiler, cpu, engine);
        var policy = run.Map("policy");
        Assert.Equal(0, policy.Update(BitConverter.GetBytes((uint)NrExecve), BitConverter.GetBytes(ErrnoEperm)));
        Assert.Equal(0, policy.Update(BitConverter.GetBytes((uint)NrOpenat), BitConverter.GetBytes(Log)));
        Assert.Equal(ErrnoEperm, run.Run(NrExecve));
        Assert.Equal(Log, run.Run(NrOpenat));
        Assert.Equal(Allow, run.Run(NrRead));     // empty entry
        Assert.Equal(Allow, run.Run(600));        // beyond max_entries: lookup fails
        Assert.Equal(Allow, run.Run(-1));         // negative numbers too
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Exec_is_allowed_once_per_process(string compiler, string cpu, EngineKind engine)
    {
        var process = new TestProcess { CurrentProcessKey = 100 };
        using var run = Runner(ExampleFilters.ExecOnce, compiler, cpu, engine, environment: process);
        Assert.Equal(Allow, run.Run(NrGetpid));
        Assert.Equal(Allow, run.Run(NrExecve));
        Assert.Equal(ErrnoEperm, run.Run(NrExecve));
        Assert.Equal(ErrnoEperm, run.Run(NrExecveat));
        process.CurrentProcessKey = 101;
        Assert.Equal(Allow, run.Run(NrExecveat));
        Assert.Equal(ErrnoEperm, run.Run(NrExecve));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Openat_is_allowed_only_for_listed_paths(string compiler, string cpu, EngineKind engine)
    {
        var user = new FakeUserMemory();
        ulong etcHosts = user.Add("/etc/hosts"), etcShadow = user.Add("/etc/shadow"), tooLong = user.Add(new string('x', 100));
        using var run = Runner(ExampleFilters.OpenatPaths, compiler, cpu, engine, HelperTable.Base.With(user.ProbeReadUserStr));
        var key = new byte[64];
        Encoding.ASCII.GetBytes("/etc/hosts").CopyTo(key, 0);
        Assert.Equal(0, run.Map("allowed_paths").Update(key, [1]));
        Assert.Equal(Allow, run.Run(NrOpenat, args: [unchecked((ulong)-100), etcHosts, 0]));
        Assert.Equal(ErrnoEacces, run.Run(NrOpenat, args: [unchecked((ulong)-100), etcShadow, 0]));
        Assert.Equal(ErrnoEacces, run.Run(NrOpenat, args: [unchecked((ulong)-100), tooLong, 0]));
        Assert.Equal(ErrnoEacces, run.Run(NrOpenat, args: [unchecked((ulong)-100), 0xdead0000, 0])); // unreadable
        Assert.Equal(Allow, run.Run(NrRead, args: [0, etcShadow]));
    }

    private sealed class TestProcess : IProcessEnvironment
    {
        public ulong CurrentProcessKey { get; set; }
    }

    /// <summary>
    /// Stands in for the seccomp layer's probe_read_user_str: "user addresses" map to strings
    /// held here; the copy goes to program memory checked by the run context, like the kernel
    /// helper (truncates to size-1 bytes plus NUL, returns the length with the NUL, -EFAULT when unreadable).
    /// </summary>
    private sealed class FakeUserMemory
    {
        private readonly Dictionary<ulong, byte[]> _strings = new();
        private ulong _next = 0x7fff_0000_1000;

        public ulong Add(string text)
        {
            var address = _next;
            _next += 0x1000;
            _strings[address] = Encoding.ASCII.GetBytes(text + "\0");
            return address;
        }

        public HelperDefinition ProbeReadUserStr => new(
            new HelperPrototype(HelperIds.ProbeReadUserStr, "probe_read_user_str", HelperReturn.Integer,
                HelperArg.PtrToUninitMem, HelperArg.ConstSizeOrZero, HelperArg.Anything),
            (ctx, dst, size, src, _, _) =>
            {
                if (!ctx.TryGetSpan(dst, size, write: true, out var target)) return ctx.Fail($"dst 0x{dst:x} is not writable");
                if (!_strings.TryGetValue(src, out var bytes)) return unchecked((ulong)-14);
                int n = (int)Math.Min((ulong)bytes.Length, size);
                if (n == 0) return 0;
                bytes.AsSpan(0, n).CopyTo(target);
                target[n - 1] = 0;
                return (ulong)n;
            });
    }
}
