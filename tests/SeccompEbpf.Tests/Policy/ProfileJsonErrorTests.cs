using SeccompEbpf.Policy;

namespace SeccompEbpf.Tests.Policy;

/// <summary>Broken JSON is reported in our words with line and byte, without the JSON reader's advice about options a user cannot set.</summary>
public sealed class ProfileJsonErrorTests
{
    [Theory]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW",}""", "$: invalid JSON at line 1, byte 35: a trailing comma (JSON allows none: remove it)")]
    [InlineData("{\n  // allow all\n  \"defaultAction\":\"SCMP_ACT_ALLOW\"}", "$: invalid JSON at line 2, byte 3: a comment (JSON has none: remove it)")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW" """, "$: invalid JSON at line 1, byte 35: the file ends inside an object or array (a '}' or ']' is missing)")]
    [InlineData("\u007fELF", "$: invalid JSON at line 1, byte 1: '0x7F' cannot start a JSON value (is this a JSON profile?)")]
    public void Each_reason_is_ours(string json, string expected)
    {
        var parsed = ProfileParser.Parse(json);
        var error = Assert.Single(parsed.Diagnostics);
        Assert.Equal("error: " + expected, error.ToString());
        Assert.DoesNotContain("reader options", error.ToString());
    }
}
