using SeccompEbpf.Bpf;
using SeccompEbpf.Split;

namespace SeccompEbpf.Policy.Sources;

/// <summary>
/// A front end: something a user names (an object file, a profile, a classic filter, an OCI
/// annotation, a policy file) that becomes filters of the policy stack. <see cref="PolicyLoader"/> calls
/// the sources oldest first with what they all share (<see cref="PolicyLoadContext"/>: the ABIs, the
/// loader, the one way an eBPF program is verified). A new front end is one class implementing this.
/// </summary>
public interface IPolicySource
{
    /// <summary>What the user named, for messages: "docker.json", "filter.o:seccomp".</summary>
    string Name { get; }

    /// <summary>The filters, oldest first (usually one), or an error naming the file, line or rule.</summary>
    BpfResult<IReadOnlyList<StackFilter>> Load(PolicyLoadContext context);
}
