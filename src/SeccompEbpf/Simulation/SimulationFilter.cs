using SeccompEbpf.Model;

namespace SeccompEbpf.Simulation;

/// <summary>Where a filter came from; decides how it is attached.</summary>
public enum FilterKind { Classic, Profile, Ebpf }

/// <summary>
/// A filter ready to install on a simulated thread: a checked classic program (from a file or a
/// compiled profile) or a verified eBPF program with its live maps. Installing the same eBPF
/// filter object twice is refused, as the kernel closes the program fd on attach.
/// </summary>
public sealed class SimulationFilter
{
    private readonly Func<SeccompThread, AttachResult> _attach;

    internal SimulationFilter(string name, FilterKind kind, Func<SeccompThread, AttachResult> attach, string? detail = null)
    {
        Name = name;
        Kind = kind;
        Detail = detail;
        _attach = attach;
    }

    public string Name { get; }
    public FilterKind Kind { get; }

    /// <summary>What was loaded (instruction count, helper set), for the report.</summary>
    public string? Detail { get; }

    public AttachResult AttachTo(SeccompThread thread) => _attach(thread);

    public override string ToString() => Detail is null ? $"{Name} ({Kind})" : $"{Name} ({Kind}: {Detail})";
}
