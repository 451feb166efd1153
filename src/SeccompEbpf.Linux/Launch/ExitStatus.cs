namespace SeccompEbpf.Linux.Launch;

/// <summary>How the command ended: an exit code, or the signal that killed it.</summary>
public readonly record struct ExitStatus(int Code, int Signal, bool CoreDumped)
{
    public bool Signaled => Signal != 0;

    /// <summary>The shell convention: the exit code, or 128 + the signal number.</summary>
    public int ShellCode => Signaled ? 128 + Signal : Code;

    /// <summary>Decodes a waitpid status word.</summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        var signal = status & 0x7f;
        return signal == 0
            ? new ExitStatus((status >> 8) & 0xff, 0, false)
            : new ExitStatus(0, signal, (status & 0x80) != 0);
    }

    public override string ToString() => Signaled ? $"killed by signal {Signal}{(CoreDumped ? " (core dumped)" : "")}" : $"exit code {Code}";
}
