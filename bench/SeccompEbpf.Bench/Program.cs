namespace SeccompEbpf.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "notify": return Notify.NotifyBenchmark.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: SeccompEbpf.Bench notify [--calls N] [--runs R] [--aot-cli PATH-TO-NATIVEAOT-seccomp-ebpf]");
                return 2;
        }
    }
}
