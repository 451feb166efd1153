namespace SeccompEbpf.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        string which = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "jit";
        switch (which)
        {
            case "jit": return JitBenchmark.Run(args, Console.Out);
            default:
                Console.Error.WriteLine($"unknown benchmark '{which}'; available: jit [--quick]");
                return 2;
        }
    }
}
