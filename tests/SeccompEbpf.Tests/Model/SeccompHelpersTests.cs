using System.Text;
using SeccompEbpf.Bpf.Engine;
using SeccompEbpf.Bpf.Helpers;
using SeccompEbpf.Bpf.Isa;
using SeccompEbpf.Model;
using SeccompEbpf.Model.Helpers;
using SeccompEbpf.ProgramType;

namespace SeccompEbpf.Tests.Model;

public class SeccompHelpersTests
{
    private const ulong PathAddress = 0x7000_0000;

    private static ulong Run(Instruction[] code, LoaderPrivileges loader, SeccompThread task)
    {
        var executable = BpfEngines.Prepare(new BpfProgram("helpers", code, helpers: SeccompHelperSet.ChooseFor(loader).Runtime)).Value;
        var context = BpfExecutableExtensions.ThreadContext;
        context.Environment = task;
        var result = executable.RunWithContext(context, SeccompData.For(1, AuditArch.X86_64).ToBytes());
        context.Environment = null;
        Assert.True(result.IsOk, result.ToString());
        return result.R0;
    }

    private static Instruction[] CallOnly(int helper) => [new(Opcodes.Call, 0, 0, 0, helper), new(Opcodes.Exit, 0, 0, 0, 0)];

    // r1 = fp - 16; r2 = 16; r3 = address; call probe_read_user_str; r0 = result
    private static Instruction[] ReadString(ulong address)
    {
        var (low, high) = Instruction.LoadImm64(3, address);
        return
        [
            new(0xbf, 1, 10, 0, 0),
            new(0x07, 1, 0, 0, -16),
            new(0xb7, 2, 0, 0, 16),
            low, high,
            new(Opcodes.Call, 0, 0, 0, HelperIds.ProbeReadUserStr),
            new(Opcodes.Exit, 0, 0, 0, 0),
        ];
    }

    private static SeccompThread Task(bool dumpable = true)
    {
        var thread = new SeccompSystem(KernelFlavor.Proposal).Spawn(SeccompCredentials.Unprivileged);
        thread.InitialNamespaceIds = (1000, 100);
        thread.Process.IsDumpable = dumpable;
        thread.Process.Memory.Map(PathAddress, Encoding.ASCII.GetBytes("/etc/passwd\0"));
        return thread;
    }

    [Fact]
    public void UidGidComeFromTheInitialNamespace() =>
        Assert.Equal((100UL << 32) | 1000, Run(CallOnly(HelperIds.GetCurrentUidGid), LoaderPrivileges.Unprivileged, Task()));

    [Fact]
    public void PidTgidAreSeenFromTheLoadersPidNamespace()
    {
        var task = Task();
        var child = task.CloneThread();
        Assert.Equal(((ulong)task.Process.Pid << 32) | (uint)child.Tid, Run(CallOnly(HelperIds.GetCurrentPidTgid), LoaderPrivileges.Unprivileged, child));
        var elsewhere = LoaderPrivileges.Unprivileged with { PidNamespace = new PidNamespaceId(5) };
        Assert.Equal(unchecked((ulong)-2L), Run(CallOnly(HelperIds.GetCurrentPidTgid), elsewhere, child)); // -ENOENT
    }

    [Fact]
    public void ReadsAStringFromUserMemory() =>
        Assert.Equal(12UL, Run(ReadString(PathAddress), LoaderPrivileges.Unprivileged, Task()));

    [Fact]
    public void UnprivilegedLoadersCannotReadNonDumpableProcesses()
    {
        Assert.Equal(unchecked((ulong)-1L), Run(ReadString(PathAddress), LoaderPrivileges.Unprivileged, Task(dumpable: false))); // -EPERM
        var ptracer = LoaderPrivileges.Unprivileged with { CapSysPtrace = true };
        Assert.Equal(12UL, Run(ReadString(PathAddress), ptracer, Task(dumpable: false)));
    }

    [Fact]
    public void UnmappedMemoryIsAFault() =>
        Assert.Equal(unchecked((ulong)-14L), Run(ReadString(0x1000), LoaderPrivileges.Unprivileged, Task())); // -EFAULT

    [Fact]
    public void ForkCopiesMemoryAndDumpability()
    {
        var parent = Task(dumpable: false);
        var child = parent.Fork();
        Assert.False(child.IsDumpable);
        Assert.Equal(12UL, Run(ReadString(PathAddress), LoaderPrivileges.Privileged, child));
    }

    [Fact]
    public void HelperSetIsChosenAtLoadTime()
    {
        var table = SeccompHelperSet.ChooseFor(LoaderPrivileges.Unprivileged).Runtime;
        foreach (int id in new[] { HelperIds.GetCurrentUidGid, HelperIds.GetCurrentPidTgid, HelperIds.ProbeReadUser, HelperIds.ProbeReadUserStr, HelperIds.TaskStorageGet, HelperIds.TaskStorageDelete, HelperIds.MapLookupElem })
            Assert.NotNull(table.Find(id));
        // The LSM hook refusing extended features leaves the program without helpers.
        Assert.Empty(SeccompHelperSet.ChooseFor(LoaderPrivileges.Privileged with { LsmRefusesExtended = true }).Runtime.All);
    }
}
