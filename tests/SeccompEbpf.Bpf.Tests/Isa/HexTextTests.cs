using SeccompEbpf.Bpf.Isa;

namespace SeccompEbpf.Bpf.Tests.Isa;

public class HexTextTests
{
    [Fact]
    public void Formats_one_slot_per_line_and_parses_it_back()
    {
        var bytes = Convert.FromHexString("b70000002a000000" + "9500000000000000");
        var text = HexText.FormatSlots(bytes);
        Assert.Equal("b7 00 00 00 2a 00 00 00\n95 00 00 00 00 00 00 00\n", text);
        Assert.Equal(bytes, HexText.Parse(text).Value);
    }

    [Theory]
    [InlineData("b7000000 2a000000,\r\n95", "b70000002a00000095")]
    [InlineData("", "")]
    public void Ignores_white_space_and_commas(string text, string hex) =>
        Assert.Equal(Convert.FromHexString(hex), HexText.Parse(text).Value);

    [Theory]
    [InlineData("b7 0", "whole bytes")]
    [InlineData("b7\n0x95", "found 'x'")]
    public void Rejects_what_is_not_hex_bytes(string text, string message)
    {
        var result = HexText.Parse(text);
        Assert.False(result.IsOk);
        Assert.Contains(message, result.Error!.Message);
    }
}
