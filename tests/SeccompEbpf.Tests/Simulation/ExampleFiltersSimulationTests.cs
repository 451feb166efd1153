using System.Text;
using SeccompEbpf.Model;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Simulation;
using SeccompEbpf.Syscalls;
using static SeccompEbpf.Tests.Simulation.SimulatedExamples;

namespace SeccompEbpf.Tests.Simulation;

/// <summary>
/// The five example filters, compiled by clang-19 at every -mcpu, loaded through the seccomp
/// program loader (verified, real seccomp helper set) and run on the simulated process model.
/// </summary>
public class ExampleFiltersSimulationTests
{
    [Theory, MemberData(nameof(Cpus), MemberType = typeof(SimulatedExamples))]
    public void Example1DeniesClose999AndKillsOtherArches(string cpu)
    {
        var thread = Prepare(Load("01_close_999", cpu).Filter);
        Assert.Equal(Errno(EPERM), Call(thread, "close", 999).ToString());
        Assert.Equal(Allow, Call(thread, "close", 3).ToString());
        var aarch64Close = Simulator.ResolveSyscall("close", SyscallArch.AArch64).Value;
        var verdict = Simulator.EvaluateOne(thread, aarch64Close, SyscallArch.AArch64, new SeccompArgs());
        Assert.Equal(SeccompAction.KillProcess, verdict.Action.EffectiveAction);
    }

    [Theory, MemberData(nameof(Cpus), MemberType = typeof(SimulatedExamples))]
    public void Example2CounterIsSharedWithForkedChildren(string cpu)
    {
        // max_getpid is 3: two calls in the parent and one in the child use up the one counter.
        var parent = Prepare(Load("02_getpid_counter", cpu).Filter);
        Assert.Equal(Allow, Call(parent, "getpid").ToString());
        var child = parent.Fork();
        Assert.Equal(Allow, Call(child, "getpid").ToString());
        Assert.Equal(Allow, Call(parent, "getpid").ToString());
        Assert.Equal(Errno(EPERM), Call(child, "getpid").ToString());
        Assert.Equal(Errno(EPERM), Call(parent, "getpid").ToString());
        Assert.Equal(Allow, Call(child, "close", 3).ToString());
    }

    [Theory, MemberData(nameof(Cpus), MemberType = typeof(SimulatedExamples))]
    public void Example3PolicyMapFilledAfterAttachIsTheMapTheFilterReads(string cpu)
    {
        var load = Load("03_policy_map", cpu);
        var thread = Prepare(load.Filter);
        Assert.Equal(Allow, Call(thread, "getpid").ToString());
        var policy = load.Map("policy")!;
        Assert.Equal(0, policy.Update(BitConverter.GetBytes(39u), BitConverter.GetBytes(SeccompAction.Errno | EPERM)));
        Assert.Equal(Errno(EPERM), Call(thread, "getpid").ToString());
        Assert.Equal(Errno(EPERM), Call(thread.Fork(), "getpid").ToString());
        Assert.Equal(Allow, Call(thread, "getppid").ToString());
    }

    private const string ExecTrace = """
        100 execve("/bin/sh", ["sh", "build.sh"], 0x7ffd9e1a3b50 /* 20 vars */) = 0
        100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f1c5d0a9a10) = 101
        101 execve("/bin/ls", ["ls"], 0x55d0c8a3c0a8 /* 20 vars */) = 0
        100 vfork( <unfinished ...>
        102 execve("/bin/cat", ["cat", "x"], 0x55d0c8a3c0a8 /* 20 vars */) = 0
        100 <... vfork resumed>) = 102
        101 execve("/bin/ls", ["ls"], 0x55d0c8a3c0a8 /* 20 vars */) = -1 EPERM (Operation not permitted)
        101 +++ exited with 0 +++
        100 clone(child_stack=0x7f1c5c8a8ff0, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS, parent_tid=[103], tls=0x7f1c5c8a9700, child_tidptr=0x7f1c5c8a99d0) = 103
        103 execve("/bin/true", ["true"], 0x55d0c8a3c0a8 /* 20 vars */) = -1 EPERM (Operation not permitted)
        102 execve("/bin/cat", ["cat", "y"], 0x55d0c8a3c0a8 /* 20 vars */) = -1 EPERM (Operation not permitted)
        100 execve("/bin/sh", ["sh"], 0x55d0c8a3c0a8 /* 20 vars */) = -1 EPERM (Operation not permitted)
        """;

    [Theory, MemberData(nameof(Cpus), MemberType = typeof(SimulatedExamples))]
    public void Example4AllowsOneExecPerProcessOverAForkingTrace(string cpu)
    {
        var report = Replay(ExecTrace, Prepare(Load("04_exec_once", cpu).Filter));
        // Task storage is per process: children start empty; the thread 103 shares process 100's entry.
        Assert.Equal(
            [Allow, Allow, Allow, Allow, Allow, Errno(EPERM), Allow, Errno(EPERM), Errno(EPERM), Errno(EPERM)],
            Actions(report));
        Assert.Equal(3, report.Processes);
        Assert.Equal(4, report.Threads);
        Assert.Equal(new Dictionary<string, int> { ["ALLOW"] = 3, ["ERRNO"] = 4 }, report.BySyscall["execve"]);
    }

    private static readonly string LongPath = "/" + new string('a', 70);

    private static readonly string OpenTrace = $"""
        200 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
        200 openat(AT_FDCWD, "/etc/shadow", O_RDONLY) = -1 EACCES (Permission denied)
        200 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f1c5d0a9a10) = 201
        201 openat(AT_FDCWD, "/usr/lib/locale/C.utf8/LC_CTYPE", O_RDONLY) = 3
        201 openat(AT_FDCWD, "/etc/ld.so.cache\x00hidden", O_RDONLY) = 3
        201 openat(AT_FDCWD, "{LongPath}", O_RDONLY) = -1 EACCES (Permission denied)
        200 close(3) = 0
        """;

    private static ExampleLoad LoadPathFilter(string cpu, LoaderPrivileges privileges)
    {
        var load = Load("05_openat_paths", cpu, privileges);
        var allowed = load.Map("allowed_paths")!;
        foreach (var path in new[] { "/etc/ld.so.cache", "/usr/lib/locale/C.utf8/LC_CTYPE", LongPath[..64] })
        {
            var key = new byte[64];
            Encoding.ASCII.GetBytes(path).CopyTo(key, 0);
            Assert.Equal(0, allowed.Update(key, [1]));
        }
        return load;
    }

    [Theory, MemberData(nameof(Cpus), MemberType = typeof(SimulatedExamples))]
    public void Example5ReadsThePathFromTheSimulatedProcessMemory(string cpu)
    {
        var report = Replay(OpenTrace, Prepare(LoadPathFilter(cpu, LoaderPrivileges.Unprivileged).Filter));
        // The read stops at the NUL, as in the kernel; a path longer than the key is cut to 63
        // bytes plus NUL, which matches no 64-byte key.
        Assert.Equal([Allow, Errno(EACCES), Allow, Allow, Allow, Errno(EACCES), Allow], Actions(report));
    }

    [Theory, MemberData(nameof(Cpus), MemberType = typeof(SimulatedExamples))]
    public void Example5NeedsPtraceToReadANonDumpableProcess(string cpu)
    {
        foreach (var (privileges, expected) in new[] { (LoaderPrivileges.Unprivileged, Errno(EACCES)), (LoaderPrivileges.Ptrace, Allow) })
        {
            var root = Prepare(LoadPathFilter(cpu, privileges).Filter);
            root.Process.IsDumpable = false;
            Assert.Equal(expected, Actions(Replay(OpenTrace, root))[0]);
        }
    }
}
