using SeccompEbpf.Model;

namespace SeccompEbpf.Tests.Model;

/// <summary>Actions print as what the kernel does with them.</summary>
public sealed class SeccompActionTextTests
{
    [Theory]
    [InlineData(0x7fff0000u, "ALLOW")]
    [InlineData(0x00050001u, "ERRNO(1)")]
    [InlineData(0x00030005u, "TRAP(5)")]
    [InlineData(0x7ffc0000u, "LOG")]
    [InlineData(0x00000000u, "KILL_THREAD")]
    [InlineData(0x80000000u, "KILL_PROCESS")]
    [InlineData(0x7fc00000u, "USER_NOTIF")]
    [InlineData(0x7fff0002u, "ALLOW(0x2)")]
    public void Known_actions_print_their_name_and_data(uint value, string text) =>
        Assert.Equal(text, new SeccompAction(value).ToString());

    [Theory]
    [InlineData(0x5dfe40a8u)]
    [InlineData(0x00010000u)]
    [InlineData(0xffff0000u)]
    public void An_unknown_action_prints_as_the_kill_the_kernel_makes_of_it(uint value)
    {
        var action = new SeccompAction(value);
        Assert.Equal(SeccompAction.KillProcess, action.EffectiveAction);
        Assert.Equal($"KILL_PROCESS (unknown action 0x{value:x8})", action.ToString());
    }
}
