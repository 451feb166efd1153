using System.Diagnostics;
using SeccompEbpf.Bpf.Asm;
using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Asm;

/// <summary>
/// Real compiler output: a C program compiled by clang for BPF, listed by llvm-objdump, must
/// assemble (listing pasted as-is) to exactly the bytes of the object's code section.
/// </summary>
public class ClangObjdumpTests
{
    private const string Source = """
        static long (*bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;
        struct { int x; } m __attribute__((section(".maps")));
        int g;
        static __attribute__((noinline)) int twice(int a) { return a * 2; }
        __attribute__((section("xdp"))) int prog(unsigned long long *ctx) {
          long long a = ctx[0]; int b = (int)ctx[1];
          signed char c = *(signed char *)ctx; short s = *(short *)(ctx + 2);
          unsigned long long r = 0;
          if (a > 5) r += a;
          if ((int)b < (int)a) r -= b;
          if (a <= -3) r ^= 7;
          r += (long long)(signed char)b + (int)(short)a + c + s;
          r += a / b + (long long)a / (long long)b + a % 7 + (long long)a % (long long)b;
          r += __builtin_bswap16(b) + __builtin_bswap32(b) + __builtin_bswap64(a);
          __sync_fetch_and_add((long long *)ctx, 5);
          r += __sync_fetch_and_add((long long *)ctx + 1, r);
          r += __sync_fetch_and_or((int *)ctx + 1, 3);
          r += __sync_lock_test_and_set((long long *)ctx + 2, r);
          r += __sync_val_compare_and_swap((long long *)ctx + 3, a, r);
          r += __sync_val_compare_and_swap((int *)ctx + 3, b, (int)r);
          __atomic_fetch_and((int *)ctx, 9, __ATOMIC_RELAXED);
          __atomic_fetch_xor((long long *)ctx, 9, __ATOMIC_RELAXED);
          r += 0x1122334455667788ULL; r >>= b; r = (long long)r >> 3; r <<= 2; r = -r;
          r += twice(b) + g;
          *(unsigned char *)ctx = 7; *(unsigned short *)ctx = 0x1234; *(unsigned int *)ctx = r;
          r += bpf_map_lookup_elem(&m, &b) != 0;
          return r;
        }
        """;

    [Fact]
    public void Assembles_llvm_objdump_output_of_a_clang_object_to_its_code_bytes()
    {
        Assert.SkipUnless(Tool("clang-19") && Tool("llvm-objdump-19") && Tool("llvm-objcopy-19"),
            "clang-19, llvm-objdump-19 and llvm-objcopy-19 are needed (apt-get install clang-19 llvm-19)");
        var dir = Directory.CreateTempSubdirectory("asm-clang-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "prog.c"), Source);
            Run(dir, "clang-19", "-O2", "-target", "bpf", "-mcpu=v4", "-c", "prog.c", "-o", "prog.o");
            Run(dir, "llvm-objcopy-19", "--dump-section", "xdp=xdp.bin", "prog.o");
            // +alu32 makes llvm-objdump-19 print 32-bit atomics instead of <unknown>.
            var listing = Run(dir, "llvm-objdump-19", "-d", "-r", "--mattr=+alu32", "--section=xdp", "prog.o");
            var expected = File.ReadAllBytes(Path.Combine(dir, "xdp.bin"));

            var program = Assembler.Assemble(listing, "objdump.txt");
            Assert.True(program.IsOk, $"{program.Error}\n{listing}");
            Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(InstructionCodec.EncodeProgram(program.Value)));
            Assert.Empty(InstructionValidator.FindErrors(program.Value));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, name)));

    private static string Run(string dir, string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout;
    }
}
