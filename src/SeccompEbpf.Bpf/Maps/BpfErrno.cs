namespace SeccompEbpf.Bpf.Maps;

/// <summary>
/// Linux errno values that map operations and helpers return, negated as the kernel does
/// (e.g. <c>-EEXIST</c>), so programs written for the kernel see the same results.
/// </summary>
public static class BpfErrno
{
    public const long EPERM = 1;
    public const long ENOENT = 2;
    public const long E2BIG = 7;
    public const long ENOMEM = 12;
    public const long EFAULT = 14;
    public const long EBUSY = 16;
    public const long EEXIST = 17;
    public const long EINVAL = 22;
    public const long ENOSPC = 28;
    public const long ENOTSUPP = 524;

    /// <summary>Name of a negated errno result, for messages: -17 → "-EEXIST".</summary>
    public static string Describe(long result) => result switch
    {
        0 => "0",
        -EPERM => "-EPERM",
        -ENOENT => "-ENOENT",
        -E2BIG => "-E2BIG",
        -ENOMEM => "-ENOMEM",
        -EFAULT => "-EFAULT",
        -EBUSY => "-EBUSY",
        -EEXIST => "-EEXIST",
        -EINVAL => "-EINVAL",
        -ENOSPC => "-ENOSPC",
        -ENOTSUPP => "-ENOTSUPP",
        _ => result.ToString(),
    };
}
