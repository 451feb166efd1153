using SeccompEbpf.Syscalls;

namespace SeccompEbpf.Policy.Default;

/// <summary>
/// The policy used when the user gives none: an OCI profile embedded in the assembly
/// (default-policy.json). It allows everything except calls that load or replace kernel code, trace
/// or read other processes, change mounts, namespaces, the clock, keys or machine state; those fail
/// with EPERM. Every verdict is kernel-expressible (constants and argument tests), so under it no
/// system call reaches the supervisor.
/// </summary>
public static class DefaultPolicy
{
    public const string ResourceName = "SeccompEbpf.DefaultPolicy.json";
    public const string Name = "built-in default policy";

    /// <summary>The ABIs it is written for: x86_64 with its x32 ABI, and i386 (as Docker's default).</summary>
    public static readonly IReadOnlyList<SyscallArch> Arches = [SyscallArch.X86_64, SyscallArch.X32, SyscallArch.I386];

    public static string Json()
    {
        using var stream = typeof(DefaultPolicy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the assembly lacks its embedded resource {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static SeccompProfile Profile()
    {
        var parsed = ProfileParser.Parse(Json());
        return parsed.Profile ?? throw new InvalidOperationException("the built-in default policy does not parse: " + string.Join("; ", parsed.Diagnostics));
    }

    /// <summary>The profile resolved for x86_64 (with x32 and i386, as the profile lists them).</summary>
    public static FilterPlan Plan() => PolicyResolver.Resolve(Profile(), new ProfileTarget()).Plan;
}
