using Microsoft.Win32.SafeHandles;

namespace SeccompEbpf.Linux.Kernel;

/// <summary>A file descriptor for a kernel BPF object (map or program), closed when disposed.</summary>
public sealed class BpfFd : SafeHandleZeroOrMinusOneIsInvalid
{
    public BpfFd(int fd) : base(ownsHandle: true) => SetHandle(fd);

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => BpfNative.Close((int)handle) == 0;
}
