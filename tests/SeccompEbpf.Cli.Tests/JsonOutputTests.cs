using System.Text.Json;

namespace SeccompEbpf.Cli.Tests;

/// <summary>--json wherever a command prints structured results: verify, objdump, inspect, exec (plan, simulate, syscalls have their own tests).</summary>
public sealed class JsonOutputTests
{
    private static JsonElement Parse(CliResult r)
    {
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Verify_json_gives_the_verdict_and_the_error_of_each_program()
    {
        using var dir = new TempDir();
        var accepted = Parse(Cli.Run("verify", dir.Write("ok.asm", "r0 = 0\nexit\n"), "--json"));
        Assert.True(accepted.GetProperty("accepted").GetBoolean());
        Assert.Equal("accepted", accepted.GetProperty("programs")[0].GetProperty("verdict").GetString());
        var r = Cli.Run("verify", dir.Write("bad.asm", "exit\n"), "--json");
        Assert.Equal(ExitCodes.Rejected, r.ExitCode);
        var program = Parse(r).GetProperty("programs")[0];
        Assert.Equal("rejected", program.GetProperty("verdict").GetString());
        Assert.Equal(0, program.GetProperty("error").GetProperty("instruction").GetInt32());
        Assert.NotEqual("", program.GetProperty("error").GetProperty("rule").GetString());
    }

    [Fact]
    public void Objdump_json_lists_sections_and_programs_as_loaded()
    {
        using var dir = new TempDir();
        var doc = Parse(Cli.Run("objdump", TestInputs.ElfObject(dir), "--json"));
        var program = Assert.Single(doc.GetProperty("programs").EnumerateArray());
        Assert.Equal("seccomp_policy", program.GetProperty("name").GetString());
        Assert.Equal("seccomp", program.GetProperty("section").GetString());
        Assert.Equal("exit", program.GetProperty("code").EnumerateArray().Last().GetString());
        Assert.Contains(doc.GetProperty("sections").EnumerateArray(), s => s.GetProperty("name").GetString() == "seccomp");
    }

    [Fact]
    public void Inspect_json_gives_each_instruction_and_the_checkers_verdict()
    {
        using var dir = new TempDir();
        var r = Cli.Run("inspect", dir.Write("f.asm", "ld [0]\nret #0x7fff0000\n"), "--json");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        var doc = Parse(r);
        Assert.True(doc.GetProperty("accepted").GetBoolean());
        Assert.Equal(2, doc.GetProperty("count").GetInt32());
        Assert.Equal(0x06, doc.GetProperty("instructions")[1].GetProperty("code").GetInt32());
        Assert.Equal(0x7fff0000u, doc.GetProperty("instructions")[1].GetProperty("k").GetUInt32());
    }

    [Fact]
    public void Exec_json_gives_r0_and_the_instructions_executed()
    {
        var doc = Parse(Cli.Run("exec", Cli.Example("asm", "hello.asm"), "--json"));
        Assert.True(doc.GetProperty("ok").GetBoolean());
        Assert.Equal("0x37", doc.GetProperty("r0").GetString());
        Assert.Equal(55ul, doc.GetProperty("r0Decimal").GetUInt64());
        Assert.True(doc.GetProperty("instructionsExecuted").GetInt64() > 0);
    }
}
