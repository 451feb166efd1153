namespace SeccompEbpf.Cli;

/// <summary>Exit codes that scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input was understood but the answer is "no" (e.g. verification rejected the program).</summary>
    public const int Rejected = 1;
    /// <summary>Bad command line: unknown option, missing argument.</summary>
    public const int Usage = 2;
    /// <summary>Bad input file: cannot read, cannot parse, cannot load.</summary>
    public const int BadInput = 3;
    /// <summary>The program ran and failed at run time (e.g. out-of-bounds access).</summary>
    public const int RuntimeError = 4;
    /// <summary>The system refused something we need (permission, missing kernel feature).</summary>
    public const int SystemError = 5;
}
