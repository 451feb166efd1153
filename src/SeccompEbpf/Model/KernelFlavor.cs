namespace SeccompEbpf.Model;

/// <summary>
/// Which kernel interface the model follows. Bit 5 of the seccomp filter flags means
/// WAIT_KILLABLE_RECV upstream (Linux 5.19+) but EXTENDED (an eBPF filter) in the proposal.
/// </summary>
public enum KernelFlavor
{
    /// <summary>Stock Linux: classic filters only, flag bit 5 = WAIT_KILLABLE_RECV.</summary>
    Upstream,
    /// <summary>The eBPF seccomp proposal: flag bit 5 = EXTENDED (the filter is an eBPF program).</summary>
    Proposal,
}
