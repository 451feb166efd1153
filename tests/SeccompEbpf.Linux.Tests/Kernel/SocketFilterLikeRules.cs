using SeccompEbpf.Bpf.Verifier;

namespace SeccompEbpf.Linux.Tests.Kernel;

/// <summary>
/// Our side of the differential check: programs that never touch the context, compared with the
/// kernel loading them as socket filters. Any context access is refused (the generator makes none);
/// any initialised R0 is accepted, as the kernel does for a privileged socket filter.
/// </summary>
internal sealed class SocketFilterLikeRules : IProgramTypeRules
{
    public static readonly SocketFilterLikeRules Instance = new();
    public string Name => "socket-filter (context unused)";
    public int ContextSize => 0;
    public bool AllowsLegacyPacketLoads => false;
    public string? CheckContextAccess(int offset, int size, bool isWrite) => "the differential corpus does not model the socket filter context";
    public string? CheckReturnValue(RegisterState r0) => null;
}
