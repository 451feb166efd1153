using System.Text.RegularExpressions;
using SeccompEbpf.Linux.Tests.Enforcement;

namespace SeccompEbpf.Linux.Tests.Emulation;

/// <summary>
/// The supervisor opens files for the sandbox, and a process can always open its own /proc files:
/// a sandboxed program must not get the supervisor's memory or descriptors (among them the
/// notification listener) by naming them through /proc/self, /proc/thread-self, /dev/fd, a symlink
/// planted to them, or the supervisor's pid (the sandbox's parent), and must not follow the
/// supervisor's magic links. Every open here is emulated (the filter reads every path); the
/// sandboxed probe's parent is this test process, which is the supervisor.
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed class OpenEmulationProcAttackTests
{
    [Fact]
    public void A_symlink_to_proc_self_mem_opens_the_callers_memory_never_the_supervisors()
    {
        var output = RunProbe(tree => [$"cd:{tree.Root}", "mem:proc-self-mem", "mem:/proc/self/mem", "mem:/proc/thread-self/mem"]);
        Assert.Equal(3, output.Split('\n').Count(l => l.EndsWith(": own memory")));
    }

    [Fact]
    public void Proc_self_fd_and_dev_fd_give_the_callers_descriptors_never_the_supervisors()
    {
        // The supervisor holds dozens of descriptors (the listener among them); none may come out.
        var output = RunProbe(_ => ["fdscan:/proc/self/fd/:200", "fdscan:/dev/fd/:200", "fdscan:/proc/thread-self/fd/:200"]);
        foreach (var prefix in new[] { "/proc/self/fd/", "/dev/fd/", "/proc/thread-self/fd/" })
            Assert.True(Regex.IsMatch(output, $@"fdscan {prefix}: same [3-9] other 0 failed"), output);
    }

    [Fact]
    public void The_supervisors_own_proc_directory_is_refused_however_it_is_named()
    {
        var output = RunProbe(_ => ["parent-open:mem", "parent-open:environ", "parent-open:status", "parent-open:fd/0",
            "parent-open:task", "parent-dirfd:mem", "parent-dirfd:fd/3", "parent-fdscan:200"], skipOPath: true);
        Assert.Contains("parent-open:mem: EACCES", output);
        Assert.Contains("parent-open:environ: EACCES", output);
        Assert.Contains("parent-open:status: EACCES", output);
        Assert.Contains("parent-open:fd/0: EACCES", output);
        Assert.Contains("parent-open:task: EACCES", output);
        Assert.Contains("parent-dirfd:mem: EACCES", output);   // a dirfd the kernel gave for the supervisor's /proc/PID
        Assert.Contains("parent-dirfd:fd/3: EACCES", output);
        Assert.Contains("fdscan /proc/PPID/fd/: same 0 other 0 failed 201", output);
    }

    [Fact]
    public void A_descriptor_into_the_supervisors_proc_cannot_be_reopened_through_proc_self_fd()
    {
        // The filter lets O_PATH opens through unread, so the kernel gives the probe an O_PATH
        // descriptor of the supervisor's mem (that needs no ptrace access); reopening it through
        // /proc/self/fd is an emulated open, which must not turn it into the supervisor's memory.
        var output = RunProbe(_ => ["parent-reopen:mem", "parent-reopen:environ"], skipOPath: true);
        Assert.Contains("parent-reopen:mem: EACCES", output);
        Assert.Contains("parent-reopen:environ: EACCES", output);
    }

    [Fact]
    public void An_ordinary_user_gets_its_own_proc_files_and_nothing_of_the_supervisors()
    {
        var output = RunProbe(tree => ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", EmulationRun.Probe,
            $"cd:{tree.Root}", "mem:proc-self-mem", "procself", "fdscan:/proc/self/fd/:100", "parent-open:status", "parent-open:mem"], viaCommand: true);
        Assert.Contains("mem proc-self-mem: own memory", output);
        Assert.Contains("procself: caller's process", output);
        Assert.True(Regex.IsMatch(output, @"fdscan /proc/self/fd/: same [0-9]+ other 0 failed"), output); // the root-owned output file is not reopened by nobody
        Assert.Contains("parent-open:mem: EACCES", output);
    }

    [Fact]
    public void A_refusal_by_the_proc_rule_is_logged_with_its_reason()
    {
        var (_, log) = EmulationRun.Sandboxed(EmulationRun.ReadAllOpensFilter(), EmulationRun.Probe, "parent-open:mem");
        Assert.Contains(log, l => l.Contains("\"note\":\"emulated open: the file is in the /proc directory of the supervisor itself\"") && l.Contains("\"result\":-13"));
    }

    private static string RunProbe(Func<ProbeTree, string[]> steps, bool skipOPath = false, bool viaCommand = false)
    {
        EnforcementEnvironment.Require();
        using var tree = new ProbeTree();
        var filter = skipOPath ? EmulationRun.ReadAllOpensFilter("SKIP_O_PATH") : EmulationRun.ReadAllOpensFilter();
        var all = steps(tree);
        var (output, _) = viaCommand ? EmulationRun.Sandboxed(filter, all[0], all[1..]) : EmulationRun.Sandboxed(filter, EmulationRun.Probe, all);
        return output;
    }
}
