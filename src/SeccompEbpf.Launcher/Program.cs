// `seccomp-ebpf-launcher __launch --control-fd N -- PATH ARGV0 ARGS...` and `__inject --control-fd N`:
// the same hidden modes as `seccomp-ebpf __launch` / `__inject`, in a binary that does nothing else
// (see LauncherInvocation and InjectorProcess).
using SeccompEbpf.Linux.Injection;
using SeccompEbpf.Linux.Launch;

if (args.Length > 0 && args[0] == InjectorProcess.Verb) return InjectorProcess.Main(args[1..]);
if (args.Length == 0 || args[0] != LauncherChild.Verb)
{
    Console.Error.WriteLine("seccomp-ebpf-launcher: internal program, started by 'seccomp-ebpf run' only");
    return LauncherChild.SetupFailedExit;
}
return LauncherChild.Main(args[1..]);
