using SeccompEbpf.Linux.Tests.Enforcement;

namespace SeccompEbpf.Linux.Tests.Emulation;

/// <summary>
/// Opens the supervisor carries out must behave as the kernel's own: the same probe runs once with
/// no sandbox and once under a filter that reads the path of every open-family call (so every open
/// is emulated), each in a fresh copy of the same tree, and the outputs must be equal line by line
/// (file type, mode, owner, size, F_GETFL, FD_CLOEXEC, fdinfo flags, content, or the errno).
/// </summary>
[Collection(EnforcementCollection.Name)]
public sealed class OpenEmulationEquivalenceTests
{
    private const string Nobody = "65534";

    [Fact]
    public void Paths_links_and_flags_as_root()
    {
        var output = Compare(tree => [
            $"cd:{tree.Root}",
            "open:file:RDONLY", "open:dir/inner:RDONLY", "openat:dir:inner:RDONLY", "openat:dir:../file:RDONLY",
            "open:rel-link:RDONLY", "open:abs-link:RDONLY", "open:dir-link/inner:RDONLY", "openat:dir:../rel-link:RDONLY",
            "open:rel-link:RDONLY|NOFOLLOW", "open:loop-a:RDONLY", "open:missing:RDONLY",
            "open::RDONLY", "open:file/x:RDONLY", "open:file:RDONLY|DIRECTORY", "open:file/:RDONLY", "open:dir:RDONLY|DIRECTORY",
            "open:dir/:RDONLY", "open:dir:WRONLY", "open:file:RDONLY|CLOEXEC", "open:file:RDWR|APPEND|DSYNC",
            "open:file:RDONLY|NONBLOCK", "open:/dev/null:RDWR", "open:/dev/tty:RDWR", "open:trunc-me:WRONLY|TRUNC", "open:trunc-me:RDONLY",
            "umask:022", "open:new-1:WRONLY|CREAT:0666", "open:new-1:WRONLY|CREAT|EXCL:0600", "open:dangling:WRONLY|CREAT:0640",
            "open:created-through-link:RDONLY", "open:dangling:WRONLY|CREAT|EXCL:0640", "umask:077", "open:new-2:RDWR|CREAT:0666",
            "creat:new-3:0666", "open:dir:RDWR|TMPFILE:0600", "open:dir:RDONLY|TMPFILE:0600", "open:file:RDONLY|DIRECTORY|CREAT:0600",
            "openat2:dir:../file:RDONLY:0:BENEATH", "openat2:dir:inner:RDONLY:0:BENEATH", "openat2:cwd:rel-link:RDONLY:0:NO_SYMLINKS",
            "openat2:dir:/file:RDONLY:0:IN_ROOT", "openat2:cwd:file:RDONLY:0644:0", "openat2:cwd:file:RDONLY:0:BENEATH|IN_ROOT",
            "openat2:cwd:new-4:WRONLY|CREAT:0644:0", "openat2:cwd:file:RDONLY|0x40000000:0:0",
            "open:file:RDONLY|0x40000000", "efault", "longpath:5000", "longpath:3000",
            "openat:fd99:file:RDONLY", "openat:fd99:/dev/null:RDONLY", "openat:file:x:RDONLY",
            "defacl:dir/sub", "open:dir/sub/under-acl:WRONLY|CREAT:0666", "open:dir/no-acl:WRONLY|CREAT:0666",
            "open32:file:RDONLY", "open32:new-32:WRONLY|CREAT:0644", "openat32:dir/inner:RDONLY", "creat32:new-32c:0600",
            "x32openat:file:RDONLY",
        ]);
        // The steps did what they are meant to: a sample of the lines both runs agree on.
        Assert.Contains("open:rel-link:RDONLY|NOFOLLOW: err ELOOP", output);
        Assert.Contains("open:loop-a:RDONLY: err ELOOP", output);
        Assert.Contains("open:file/x:RDONLY: err ENOTDIR", output);
        Assert.Contains("open:new-1:WRONLY|CREAT|EXCL:0600: err EEXIST", output);
        Assert.Contains("open:new-2:RDWR|CREAT:0666: ok fd=3 type=reg mode=0600", output);
        Assert.Contains("openat2:dir:../file:RDONLY:0:BENEATH: err EXDEV", output);
        Assert.Contains("openat2:cwd:rel-link:RDONLY:0:NO_SYMLINKS: err ELOOP", output);
        Assert.Contains("open:file:RDONLY|CLOEXEC: ok fd=3 type=reg mode=0644 owner=0:0 size=12 fl=0100000 cloexec=1", output);
        Assert.Contains("efault: err EFAULT", output);
        Assert.Contains("longpath: err ENAMETOOLONG", output);
        Assert.Contains("creat32:new-32c:0600: ok", output);
        Assert.Contains("x32openat:file:RDONLY: err ENOSYS", output); // this kernel has no x32 ABI
        Assert.Contains("openat:fd99:file:RDONLY: err EBADF", output);
        Assert.Contains("openat:fd99:/dev/null:RDONLY: ok", output); // an absolute path ignores the dirfd
        Assert.Contains("open:dir/sub/under-acl:WRONLY|CREAT:0666: ok fd=3 type=reg mode=0666", output); // a default ACL overrides the umask (077)
        Assert.Contains("open:dir/no-acl:WRONLY|CREAT:0666: ok fd=3 type=reg mode=0600", output);
    }

    [Fact]
    public void Credentials_umask_and_permissions_as_an_ordinary_user()
    {
        var output = Compare(tree => [
            $"cd:{tree.Root}", "open:secret:RDONLY", "open:file:RDONLY", "open:file:WRONLY", "umask:027",
            "open:shared/mine:WRONLY|CREAT:0666", "open:shared/mine:RDONLY", "creat:shared/made-by-creat:0777",
            "open:read-only-dir/new:WRONLY|CREAT:0644", "open:dir/inner:WRONLY", "procself", "mem:proc-self-mem",
        ], asNobody: true);
        Assert.Contains("open:secret:RDONLY: err EACCES", output);
        Assert.Contains("open:shared/mine:WRONLY|CREAT:0666: ok fd=3 type=reg mode=0640 owner=65534:65534", output);
        Assert.Contains("creat:shared/made-by-creat:0777: ok fd=3 type=reg mode=0750 owner=65534:65534", output);
        Assert.Contains("open:read-only-dir/new:WRONLY|CREAT:0644: err EACCES", output);
        Assert.Contains("procself: caller's process", output);
        Assert.Contains("mem proc-self-mem: own memory", output);
    }

    [Fact]
    public void Absolute_paths_links_and_dot_dot_in_a_chroot()
    {
        var output = Compare(tree => [
            $"chroot:{tree.At("jail")}", "open:/etc/marker:RDONLY", "open:/abs-in:RDONLY", "open:up:RDONLY", "open:/../../etc/marker:RDONLY",
            "openat:cwd:../../etc/marker:RDONLY", "cd:home", "open:../../../abs-in:RDONLY", "open:/etc/passwd:RDONLY",
            $"open:{tree.At("file")}:RDONLY",
        ]);
        Assert.Matches(@"open:/abs-in:RDONLY: ok fd=3 type=reg .* data=jail-marker", output);
        Assert.Matches(@"open:/\.\./\.\./etc/marker:RDONLY: ok .* data=jail-marker", output);
        Assert.Matches(@"open:\.\./\.\./\.\./abs-in:RDONLY: ok .* data=jail-marker", output);
        Assert.Contains("open:/etc/passwd:RDONLY: err ENOENT", output);
    }

    [Fact]
    public void A_full_descriptor_table_gives_EMFILE_even_for_a_missing_file()
    {
        var output = Compare(tree => [
            $"cd:{tree.Root}", "rlimit:8", "hold:file", "hold:file", "hold:file", "hold:file", "open:file:RDONLY",
            "hold:file", "open:file:RDONLY", "open:missing:RDONLY", "open:secret:RDONLY|NOFOLLOW",
        ]);
        Assert.Contains("open:missing:RDONLY: err EMFILE", output);
    }

    [Fact]
    public void A_FIFO_open_waits_for_the_other_end_without_stopping_the_supervisor()
    {
        var output = Compare(tree => [$"cd:{tree.Root}", "fifo:fifo", "open:fifo:RDONLY|NONBLOCK", "open:fifo:WRONLY|NONBLOCK", "open:fifo:RDWR"]);
        Assert.Contains("fifo: read ping nonblock=0", output);
        Assert.Contains("fifo writer: ok", output);
        Assert.Contains("open:fifo:WRONLY|NONBLOCK: err ENXIO", output);
    }

    [Fact]
    public void Links_into_proc_and_dev_fd_name_the_caller()
    {
        var output = Compare(tree => [
            $"cd:{tree.Root}", "open:/dev/stdin:RDONLY", "open:/dev/stdout:WRONLY", "open:/proc/self/fd/1:WRONLY", "procself", "threadself",
            "open:proc-self-status:RDONLY", "mem:proc-self-mem", "mem:/proc/thread-self/mem", "fdscan:/proc/self/fd/:40", "fdscan:/dev/fd/:40",
            "open:/proc/self/cwd/file:RDONLY", "open:/proc/self/root/etc/hostname:RDONLY", "open:/proc/self/exe:RDONLY",
            "open:/proc/self:RDONLY|DIRECTORY", "openat:/proc/self:status:RDONLY", "open:/proc/self/fdinfo/0:RDONLY", "open:/proc/cpuinfo:RDONLY",
        ]);
        Assert.Contains("procself: caller's process", output);
        Assert.Contains("threadself: caller's thread", output);
        Assert.Contains("mem proc-self-mem: own memory", output);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, @"fdscan /proc/self/fd/: same [3-9] other 0 "), output);
        Assert.Contains("open:/proc/self/cwd/file:RDONLY: ok fd=3 type=reg mode=0644 owner=0:0 size=12 fl=0100000 cloexec=0 fdinfo=0100000 mnt=yes data=file-content", output);
    }

    [Fact]
    public void Paths_resolve_in_the_callers_own_mount_namespace()
    {
        EnforcementEnvironment.Require();
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "a mount namespace of its own needs root");
        const string Script = "unshare -m sh -c 'mount -t tmpfs none /mnt && echo private > /mnt/f && cat /mnt/f && cd /mnt && cat f'; cat /mnt/f 2>&1 >/dev/null | grep -c 'No such file'";
        var expected = EmulationRun.Unsandboxed("/bin/sh", "-c", Script);
        var (actual, _) = EmulationRun.Sandboxed(EmulationRun.ReadAllOpensFilter(), "/bin/sh", "-c", Script);
        Assert.Equal("private\nprivate\n1\n", expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void An_O_PATH_open_fails_closed_after_the_kernels_own_errors()
    {
        // SECCOMP_IOCTL_NOTIF_ADDFD takes the file with fget(), which refuses O_PATH files: such an
        // open cannot be handed over, and continuing it would be racy. Errors still come from the walk.
        EnforcementEnvironment.Require();
        using var tree = new ProbeTree();
        var (output, log) = EmulationRun.Sandboxed(EmulationRun.ReadAllOpensFilter(), EmulationRun.Probe,
            $"cd:{tree.Root}", "open:dir:PATH", "open:rel-link:PATH|NOFOLLOW", "open:missing:PATH", "open:loop-a:PATH");
        Assert.Equal("open:dir:PATH: err EPERM\nopen:rel-link:PATH|NOFOLLOW: err EPERM\nopen:missing:PATH: err ENOENT\nopen:loop-a:PATH: err ELOOP\n", output);
        Assert.Contains(log, l => l.Contains("an O_PATH descriptor cannot be injected"));
    }

    /// <summary>Runs the steps without and with the sandbox, each in its own tree; asserts equal output and returns it.</summary>
    private static string Compare(Func<ProbeTree, string[]> steps, bool asNobody = false)
    {
        EnforcementEnvironment.Require();
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "comparing credentials, chroot and ownership needs root");
        var probe = EmulationRun.Probe;
        var filter = EmulationRun.ReadAllOpensFilter();
        using var plainTree = new ProbeTree();
        using var emulatedTree = new ProbeTree();
        string command = asNobody ? "/usr/bin/setpriv" : probe;
        string[] Args(ProbeTree tree) => asNobody ? [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", probe, .. steps(tree)] : steps(tree);
        var expected = EmulationRun.Unsandboxed(command, Args(plainTree));
        var (actual, _) = EmulationRun.Sandboxed(filter, command, Args(emulatedTree));
        var expectedLines = expected.Replace(plainTree.Root, "TREE").Split('\n');
        var actualLines = actual.Replace(emulatedTree.Root, "TREE").Split('\n');
        for (int i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
            Assert.True(i < expectedLines.Length && i < actualLines.Length && expectedLines[i] == actualLines[i],
                $"line {i + 1} differs:\n  without sandbox: {(i < expectedLines.Length ? expectedLines[i] : "(none)")}\n  emulated:        {(i < actualLines.Length ? actualLines[i] : "(none)")}\nwhole emulated output:\n{actual}");
        return string.Join('\n', expectedLines);
    }
}
