using System.Text;
using System.Text.Json;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Classic;
using SeccompEbpf.Cli;
using SeccompEbpf.Linux.Seccomp;
using SeccompEbpf.Model;
using SeccompEbpf.Policy.Sources;
using SeccompEbpf.Simulation;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Linux.Tests.FrontEnd;

/// <summary>
/// run, plan and simulate read one command line through one front end, so they must agree: `plan`
/// prints the split `run` enforces, and `simulate` answers every call as `run`'s kernel filter plus
/// its supervisor would, for the example filters and Docker's and Podman's profiles.
/// </summary>
public sealed class FrontEndAgreementTests
{
    private const ulong PathAddress = 0x7000_0000;

    [Theory]
    [MemberData(nameof(FrontEndPolicies.Names), MemberType = typeof(FrontEndPolicies))]
    public void Plan_prints_the_split_run_enforces(string policy)
    {
        var (plan, split) = BuildRun(policy);
        try
        {
            var printed = CliRun(["plan", .. FrontEndPolicies.Arguments(policy), "--json"]);
            using var json = JsonDocument.Parse(printed);
            var root = json.RootElement;
            Assert.Equal(plan.KernelFilter.Count, root.GetProperty("kernelFilterInstructions").GetInt32());
            Assert.Equal(split.Stack.Filters.Select(f => f.Name), root.GetProperty("filters").EnumerateArray().Select(f => f.GetString()));
            var arches = root.GetProperty("arches").EnumerateArray().ToList();
            Assert.Equal(split.Arches.Select(a => $"0x{a.AuditArch:x8}"), arches.Select(a => a.GetProperty("auditArch").GetString()));
            for (int i = 0; i < arches.Count; i++)
                Assert.Equal(split.Arches[i].Entries.Select(Describe), arches[i].GetProperty("entries").EnumerateArray().Select(Describe));
            Assert.Equal(Describe(split.OtherArches), Describe(root.GetProperty("otherArches")));
        }
        finally { (plan.Decider as IDisposable)?.Dispose(); }
    }

    [Theory]
    [MemberData(nameof(FrontEndPolicies.Names), MemberType = typeof(FrontEndPolicies))]
    public void Simulate_answers_every_call_as_run_enforces_it(string policy)
    {
        var options = FrontEndPolicies.Options(policy);
        var (plan, _) = BuildRun(policy);
        try
        {
            var kernel = ClassicChecker.Check(plan.KernelFilter).Value;
            // The supervisor's side: the chain of a second load, as run's decider runs it (on the JIT), for a process of its own.
            using var supervisor = Loaded(options).Evaluator(EngineKind.Jit).Value;
            var runTask = WithPath(new SeccompSystem(KernelFlavor.Proposal).Spawn(SeccompCredentials.Unprivileged));
            // simulate's side: what SimulateCommand installs for the same options.
            var filters = SimulationFilters.From(Loaded(options));
            Assert.True(filters.IsOk, filters.Error?.ToString());
            var simulated = Simulator.Prepare(filters.Value);
            Assert.True(simulated.IsOk, simulated.Error?.ToString());
            var simulatedTask = WithPath(simulated.Value);

            int notified = 0, calls = 0;
            foreach (var data in Calls())
            {
                calls++;
                uint inKernel = kernel.Run(in data);
                bool toSupervisor = new SeccompAction(inKernel).ActionBits == SeccompAction.UserNotif;
                uint enforced = toSupervisor ? supervisor.Decide(in data, runTask).Action.Value : inKernel;
                if (toSupervisor) notified++;
                uint answered = simulatedTask.Evaluate(in data).Action.Value;
                Assert.True(enforced == answered,
                    $"{policy}, call {calls}: nr {data.Nr} arch 0x{data.Arch:x8} args [{data.Args}]: run {new SeccompAction(enforced)}" +
                    $"{(toSupervisor ? " (supervisor)" : " (kernel)")}, simulate {new SeccompAction(answered)}");
            }
            Assert.True(calls > 1500, $"only {calls} calls");
            if (plan.NeedsListener) Assert.True(notified > 0, "the policy notifies, but no call reached the supervisor");
        }
        finally { (plan.Decider as IDisposable)?.Dispose(); }
    }

    [Theory]
    [InlineData("05_openat_paths", "openat", "final: ALLOW")]
    [InlineData("05_openat_paths", "close", "final: ALLOW")]
    [InlineData("01_close_999", "getpid", "final: ALLOW")]
    [InlineData("docker-default.json", "reboot", "final: ERRNO(1)")]
    [InlineData("podman-default.json", "kexec_load", "final: ERRNO(1)")]
    public void The_simulate_command_answers_as_the_front_end(string policy, string syscall, string expected)
    {
        // openat's path pointer (args[1]) is 0: unreadable, so example 5 refuses; everything else is as listed.
        if (syscall == "openat") expected = "final: ERRNO(13)";
        // simulate's exit status says whether the call would run: 0 for ALLOW, 1 when refused.
        var output = CliRun(["simulate", .. FrontEndPolicies.Arguments(policy), "--syscall", syscall], expected == "final: ALLOW" ? ExitCodes.Ok : ExitCodes.Rejected);
        Assert.Contains(expected, output);
    }

    private static (Launch.RunPlan Plan, SplitPlan Split) BuildRun(string policy)
    {
        var built = PolicyRunPlan.Build(new PolicyRunOptions(FrontEndPolicies.Options(policy)));
        Assert.True(built.IsOk, built.Error?.ToString());
        return built.Value;
    }

    private static LoadedPolicy Loaded(PolicyOptions options)
    {
        var loaded = PolicyLoader.Load(options);
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        return loaded.Value;
    }

    private static SeccompThread WithPath(SeccompThread task)
    {
        task.Process.Memory.Map(PathAddress, Encoding.ASCII.GetBytes(FrontEndPolicies.AllowedPath + "\0"));
        return task;
    }

    /// <summary>
    /// Every syscall of the x86_64 and i386 tables with zero and with varied arguments (clone and
    /// unshare namespace flags, personality, socket families, the allowed path), then repeats that use
    /// up the examples' state (the getpid counter, exec once), and calls of other arches.
    /// </summary>
    private static IEnumerable<SeccompData> Calls()
    {
        var random = new Random(14);
        ulong[] values = [0, 1, 2, 8, 40, 999, 0x10000000, 0x20000, 0x0040000, 0xffffffff, PathAddress, ulong.MaxValue];
        foreach (var arch in new[] { SyscallArch.X86_64, SyscallArch.I386 })
            foreach (var (_, nr) in SyscallTable.For(arch).Entries)
            {
                yield return SeccompData.For(nr, arch.AuditArch());
                yield return SeccompData.For(nr, arch.AuditArch(), [.. Enumerable.Range(0, 6).Select(_ => values[random.Next(values.Length)])]);
            }
        foreach (var name in new[] { "getpid", "getpid", "getpid", "getpid", "execve", "execve", "openat", "close", "read" })
        {
            SyscallTable.For(SyscallArch.X86_64).TryGetNumber(name, out int nr);
            yield return SeccompData.For(nr, AuditArch.X86_64, 0xffffff9c, PathAddress, 0, 0, 0, 0);
            yield return SeccompData.For(nr | AuditArch.X32SyscallBit, AuditArch.X86_64, 999);
        }
        yield return SeccompData.For(172, AuditArch.AArch64);
        yield return SeccompData.For(39, 0);
    }

    private static string Describe(SplitEntry e) =>
        $"{e.Low}..{e.High} {e.Kind} {(e.Kind == SplitKind.Dynamic ? "" : new SeccompAction(e.Action).ToString())}";

    private static string Describe(JsonElement e) =>
        $"{e.GetProperty("low").GetUInt32()}..{e.GetProperty("high").GetUInt32()} {e.GetProperty("kind").GetString()} {e.GetProperty("action").GetString()}";

    private static string CliRun(string[] args, int expectedExit = ExitCodes.Ok)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliMain.Run(args, stdout, stderr);
        Assert.True(code == expectedExit, $"seccomp-ebpf {string.Join(' ', args)}: exit {code}, expected {expectedExit}\n{stderr}");
        return stdout.ToString();
    }
}
