// `seccomp-ebpf-launcher __launch --control-fd N -- PATH ARGV0 ARGS...`: the same hidden mode as
// `seccomp-ebpf __launch`, in a binary that does nothing else (see LauncherInvocation).
using SeccompEbpf.Linux.Launch;

if (args.Length == 0 || args[0] != LauncherChild.Verb)
{
    Console.Error.WriteLine("seccomp-ebpf-launcher: internal program, started by 'seccomp-ebpf run' only");
    return LauncherChild.SetupFailedExit;
}
return LauncherChild.Main(args[1..]);
