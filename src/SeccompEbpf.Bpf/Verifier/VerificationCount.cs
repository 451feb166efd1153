namespace SeccompEbpf.Bpf.Verifier;

/// <summary>
/// Counts the verifier's runs in the current flow of execution (async-local: work on other threads
/// that did not start inside the count is not counted). It is how a front end shows that it verifies
/// each program once; when nobody counts, a verification pays one async-local read.
/// </summary>
public sealed class VerificationCount : IDisposable
{
    private static readonly AsyncLocal<VerificationCount?> Current = new();
    private readonly VerificationCount? _outer;
    private int _verifications;

    private VerificationCount()
    {
        _outer = Current.Value;
        Current.Value = this;
    }

    /// <summary>Starts counting until <see cref="Dispose"/>; counts that are already running go on counting too.</summary>
    public static VerificationCount Start() => new();

    /// <summary>Programs verified since <see cref="Start"/>.</summary>
    public int Verifications => Volatile.Read(ref _verifications);

    internal static void Record()
    {
        for (var count = Current.Value; count is not null; count = count._outer)
            Interlocked.Increment(ref count._verifications);
    }

    public void Dispose() => Current.Value = _outer;
}
