using SeccompEbpf.Cli;

// The launcher child of `run` starts here, before anything else loads: it must start fast.
if (args.Length > 0 && args[0] == SeccompEbpf.Linux.Launch.LauncherChild.Verb) return SeccompEbpf.Linux.Launch.LauncherChild.Main(args[1..]);
if (args.Length > 0 && args[0] == SeccompEbpf.Linux.Injection.InjectorProcess.Verb) return SeccompEbpf.Linux.Injection.InjectorProcess.Main(args[1..]);

return CliMain.Run(args, Console.Out, Console.Error);
