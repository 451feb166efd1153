using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Tests.Emulation;

/// <summary>
/// The directory tree the open probe works in; each run gets its own copy (runs create files), so
/// a run without the sandbox and an emulated one start from the same state.
/// </summary>
internal sealed partial class ProbeTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("seccomp-ebpf-open-").FullName;

    public ProbeTree()
    {
        Write("file", "file-content");
        Write("trunc-me", "to be truncated");
        Directory.CreateDirectory(At("dir/sub"));
        Write("dir/inner", "inner-content");
        Link("rel-link", "file");
        Link("abs-link", At("file"));
        Link("dir-link", "dir");
        Link("loop-a", "loop-b");
        Link("loop-b", "loop-a");
        Link("dangling", "created-through-link");
        Link("proc-self-mem", "/proc/self/mem");
        Link("proc-self-status", "/proc/self/status");
        Write("secret", "root only");
        Chmod(At("secret"), 0x180); // 0600
        Directory.CreateDirectory(At("read-only-dir"));
        Chmod(At("read-only-dir"), 0x16D); // 0555
        Directory.CreateDirectory(At("shared"));
        Chmod(At("shared"), 0x1FF); // 0777: an ordinary user creates here
        Assert.Equal(0, MkFifo(At("fifo"), 0x1B6));
        // A root of its own for chroot: absolute paths and links inside mean this tree.
        Write("jail/etc/marker", "jail-marker");
        Link("jail/abs-in", "/etc/marker");
        Link("jail/up", "../../../etc/marker");
        Directory.CreateDirectory(At("jail/home"));
        Chmod(Root, 0x1ED); // 0755: reachable for an ordinary user
    }

    public string At(string relative) => Path.Combine(Root, relative);

    private void Write(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(At(relative))!);
        File.WriteAllText(At(relative), content);
    }

    private static void Chmod(string path, int mode)
    {
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    private void Link(string relative, string target) => File.CreateSymbolicLink(At(relative), target);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, uint mode);

    public void Dispose()
    {
        Chmod(At("read-only-dir"), 0x1ED);
        Directory.Delete(Root, true);
    }
}
