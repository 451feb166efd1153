using SeccompEbpf.Policy.Sources;
using SeccompEbpf.ProgramType;
using SeccompEbpf.Split;
using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Tests.Split;

/// <summary>Policy stacks as the policy loader builds them (verified eBPF filters, fresh maps each time) for x86_64 and i386.</summary>
internal static class LoadedStacks
{
    public static readonly SyscallArch[] Arches = [SyscallArch.X86_64, SyscallArch.I386];

    /// <summary>The sources stacked oldest first; none gives the built-in default policy.</summary>
    public static PolicyStack Of(params IPolicySource[] sources)
    {
        var loaded = PolicyLoader.Load(new PolicyOptions { Sources = sources, Loader = LoaderPrivileges.Unprivileged, Arches = Arches });
        Assert.True(loaded.IsOk, loaded.Error?.ToString());
        return loaded.Value.Stack;
    }

    /// <summary>An example filter (examples/filters/NAME.c, built with clang-19) alone.</summary>
    public static PolicyStack Example(string example) => Of(new EbpfObjectSource(ExampleObjects.CompileOrSkip(example)));
}
