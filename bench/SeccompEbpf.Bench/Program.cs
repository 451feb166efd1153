namespace SeccompEbpf.Bench; public static class Program { public static int Main(string[] args) { System.Console.Error.WriteLine("no benchmarks yet"); return 2; } }
