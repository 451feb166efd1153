using SeccompEbpf.Classic.Text;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Trace;

namespace SeccompEbpf.Tests.Model;

public class StraceReplayTests
{
    // strace -f -n -e raw=all output, trimmed from a real run of: sh -c 'ls; echo hi | cat'
    private const string Sample = """
        9993  [  59] execve(0x7ffd67758280, 0x7ffd67759730, 0x7ffd67759750) = 0
        9993  [  12] brk(0)                     = 0x55e7b9de0000
        9993  [  21] access(0x7f464df312a0, 0x4) = -1 ENOENT (No such file or directory)
        9993  [  58] vfork( <unfinished ...>
        9995  [  59] execve(0x55e7b9de1038, 0x55e7b9de0c18, 0x55e7b9de0ed8 <unfinished ...>
        9993  [  58] <... vfork resumed>)       = 0x270b
        9993  [  61] wait4(0xffffffff, 0x7ffc37e8a37c, 0, 0 <unfinished ...>
        9995  [  59] <... execve resumed>)      = 0
        9995  [ 231] exit_group(0)              = ?
        9995  [ 231] +++ exited with 0 +++
        9993  [  61] <... wait4 resumed>)       = 0x270b
        9993  [  61] --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9995} ---
        9993  [  56] clone(0x1200011, 0, 0, 0x7f464dd0ea10, 0 <unfinished ...>
        9996  [   3] close(0x3 <unfinished ...>
        9993  [  56] <... clone resumed>)       = 0x270c
        9996  [   3] <... close resumed>)       = 0
        9996  [  41] socket(0x2, 0x1, 0)        = 0x3
        """;

    private static StraceParser.ParsedTrace Parse(string text) => StraceParser.Parse(text, "t.strace").Value;

    [Fact]
    public void ParsesCallsNumbersArgumentsAndResults()
    {
        var trace = Parse(Sample);
        var calls = trace.Events.OfType<TraceCall>().ToList();
        Assert.Equal(10, calls.Count);
        Assert.Equal(9993, trace.FirstPid);
        var access = calls[2];
        Assert.Equal(("access", 21, 9993), (access.Name, access.Number!.Value, access.Pid));
        Assert.Equal(new ulong[] { 0x7f464df312a0, 4, 0, 0, 0, 0 }, access.Arguments);
        Assert.True(access.ExactArguments);
        Assert.StartsWith("-1 ENOENT", access.Result);
        Assert.Equal(0x270b, calls.Single(c => c.Name == "vfork").ChildPid);
        Assert.Equal(0xffffffffUL, calls.Single(c => c.Name == "wait4").Arguments[0]);
        Assert.Single(trace.Events.OfType<TraceExit>());
    }

    [Fact]
    public void SkipsTimestampsAndDurationsAndMarksSymbolicArguments()
    {
        var trace = Parse("""
            120 12:00:01.123456 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3 <0.000021>
            120 1700000000.5 read(3, "a,b)", 10) = 4
            """);
        var calls = trace.Events.OfType<TraceCall>().ToList();
        Assert.Equal("openat", calls[0].Name);
        Assert.Null(calls[0].Number);
        Assert.False(calls[0].ExactArguments);
        Assert.Equal("3", calls[0].Result);
        Assert.Equal(new ulong[] { 3, 0, 10, 0, 0, 0 }, calls[1].Arguments);
        Assert.Equal("4", calls[1].Result);
    }

    [Fact]
    public void MalformedLineIsAnErrorWithItsLocation()
    {
        var result = StraceParser.Parse("1 [ 59] execve(0) = 0\nthis is not strace\n", "t.strace");
        Assert.Equal("t.strace:2:1", result.Error!.Location);
    }

    [Fact]
    public void ReplayFollowsChildrenAndAppliesTheChainToEveryCall()
    {
        var policy = ClassicAssembler.Assemble("""
                ld [0]
                jeq #41, deny
                jeq #59, log
                ret #0x7fff0000
            deny: ret #0x5000d
            log:  ret #0x7ffc0000
            """).Value;
        var report = TraceReplay.Run(Parse(Sample), [("policy", policy)], AuditArch.X86_64).Value;
        Assert.Equal(10, report.Calls.Count);
        Assert.Equal(new Dictionary<string, int> { ["ALLOW"] = 7, ["ERRNO"] = 1, ["LOG"] = 2 }, report.ByAction);
        Assert.Equal(2, report.BySyscall["execve"]["LOG"]);
        Assert.Equal(3, report.Processes); // sh, the vfork child, the clone child
        Assert.Empty(report.Warnings);
        Assert.Equal(13, report.Calls.Single(c => c.Call.Name == "socket").Verdict.Action.ErrnoValue);
    }

    [Fact]
    public void NamesWithoutNumbersNeedAResolver()
    {
        var trace = Parse("5 getpid() = 5\n5 gettid() = 5\n");
        var allow = ClassicAssembler.Assemble("ret #0x7fff0000").Value;
        var withoutNames = TraceReplay.Run(trace, [("allow", allow)], AuditArch.X86_64).Value;
        Assert.Empty(withoutNames.Calls);
        Assert.Equal(2, withoutNames.Warnings.Count);
        var withNames = TraceReplay.Run(trace, [("allow", allow)], AuditArch.X86_64, name => name == "getpid" ? 39 : null).Value;
        Assert.Single(withNames.Calls);
        Assert.Equal(39, withNames.Calls[0].Data.Nr);
    }

    [Fact]
    public void InvalidFilterIsReportedByName()
    {
        var bad = ClassicAssembler.Assemble("ld [1]\nret a").Value;
        var result = TraceReplay.Run(Parse(Sample), [("bad.bpf", bad)], AuditArch.X86_64);
        Assert.False(result.IsOk);
        Assert.Equal("bad.bpf", result.Error!.Location);
    }
}
