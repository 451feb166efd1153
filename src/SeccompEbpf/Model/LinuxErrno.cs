namespace SeccompEbpf.Model;

/// <summary>The errno values the seccomp model returns (Linux numbering).</summary>
public static class LinuxErrno
{
    public const int EPERM = 1;
    public const int ESRCH = 3;
    public const int EBADF = 9;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ESRCH => "ESRCH",
        EBADF => "EBADF",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EBUSY => "EBUSY",
        EINVAL => "EINVAL",
        ENOSYS => "ENOSYS",
        _ => $"errno {errno}",
    };
}
