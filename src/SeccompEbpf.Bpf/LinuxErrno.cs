namespace SeccompEbpf.Bpf;

/// <summary>
/// Linux errno numbers and names (asm-generic/errno-base.h, the common ones of errno.h, and the
/// kernel-internal ENOTSUPP that BPF helpers return). The one table every layer uses: helpers and maps
/// return them negated (-EEXIST), the seccomp model and the supervisor answer with them, profiles name
/// them ("errno": "EPERM").
/// </summary>
public static class LinuxErrno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
        EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, ENOTBLK = 15, EBUSY = 16,
        EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24,
        ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32,
        EDOM = 33, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOLCK = 37, ENOSYS = 38, ENOTEMPTY = 39,
        ELOOP = 40, EOPNOTSUPP = 95, EAFNOSUPPORT = 97, EADDRINUSE = 98, ECONNREFUSED = 111;

    /// <summary>The user-space spelling of EOPNOTSUPP (the same number).</summary>
    public const int ENOTSUP = EOPNOTSUPP;

    /// <summary>The kernel-internal "operation not supported" BPF code returns (never seen by system calls).</summary>
    public const int ENOTSUPP = 524;

    // Names in the order of their numbers; the first name of a number is the one printed.
    private static readonly (string Name, int Number)[] Table =
    [
        (nameof(EPERM), EPERM), (nameof(ENOENT), ENOENT), (nameof(ESRCH), ESRCH), (nameof(EINTR), EINTR),
        (nameof(EIO), EIO), (nameof(ENXIO), ENXIO), (nameof(E2BIG), E2BIG), (nameof(ENOEXEC), ENOEXEC),
        (nameof(EBADF), EBADF), (nameof(ECHILD), ECHILD), (nameof(EAGAIN), EAGAIN), (nameof(ENOMEM), ENOMEM),
        (nameof(EACCES), EACCES), (nameof(EFAULT), EFAULT), (nameof(ENOTBLK), ENOTBLK), (nameof(EBUSY), EBUSY),
        (nameof(EEXIST), EEXIST), (nameof(EXDEV), EXDEV), (nameof(ENODEV), ENODEV), (nameof(ENOTDIR), ENOTDIR),
        (nameof(EISDIR), EISDIR), (nameof(EINVAL), EINVAL), (nameof(ENFILE), ENFILE), (nameof(EMFILE), EMFILE),
        (nameof(ENOTTY), ENOTTY), (nameof(ETXTBSY), ETXTBSY), (nameof(EFBIG), EFBIG), (nameof(ENOSPC), ENOSPC),
        (nameof(ESPIPE), ESPIPE), (nameof(EROFS), EROFS), (nameof(EMLINK), EMLINK), (nameof(EPIPE), EPIPE),
        (nameof(EDOM), EDOM), (nameof(ERANGE), ERANGE), (nameof(EDEADLK), EDEADLK), (nameof(ENAMETOOLONG), ENAMETOOLONG),
        (nameof(ENOLCK), ENOLCK), (nameof(ENOSYS), ENOSYS), (nameof(ENOTEMPTY), ENOTEMPTY), (nameof(ELOOP), ELOOP),
        (nameof(EOPNOTSUPP), EOPNOTSUPP), (nameof(ENOTSUP), ENOTSUP), (nameof(EAFNOSUPPORT), EAFNOSUPPORT),
        (nameof(EADDRINUSE), EADDRINUSE), (nameof(ECONNREFUSED), ECONNREFUSED), (nameof(ENOTSUPP), ENOTSUPP),
    ];

    private static readonly Dictionary<string, int> ByName = Table.ToDictionary(e => e.Name, e => e.Number, StringComparer.Ordinal);
    private static readonly Dictionary<int, string> ByNumber = Table.DistinctBy(e => e.Number).ToDictionary(e => e.Number, e => e.Name);

    /// <summary>"EPERM" for 1; "errno N" for a number without a name here.</summary>
    public static string Name(int errno) => ByNumber.TryGetValue(errno, out var name) ? name : $"errno {errno}";

    /// <summary>The number of an errno name (case-sensitive, as C spells it).</summary>
    public static bool TryParse(string name, out int errno) => ByName.TryGetValue(name, out errno);
}
