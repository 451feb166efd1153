using System.Runtime.InteropServices;

namespace SeccompEbpf.Linux.Tests.Enforcement;

/// <summary>The few system call numbers the enforcement tests filter, for this machine's architecture.</summary>
internal static class NativeSyscalls
{
    private static bool Arm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static int Getpid => Arm64 ? 172 : 39;
    public static int Close => Arm64 ? 57 : 3;
    public static int Uname => Arm64 ? 160 : 63;
    public static int Sendmsg => Arm64 ? 211 : 46;
    public static int Chdir => Arm64 ? 49 : 80;
}
