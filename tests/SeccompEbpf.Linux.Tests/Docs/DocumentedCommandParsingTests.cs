namespace SeccompEbpf.Linux.Tests.Docs;

/// <summary>How the documentation test reads a command line and what its comment claims.</summary>
public sealed class DocumentedCommandParsingTests
{
    private static DocumentedCommand Line(string text) => DocumentedCommands.FromMarkdown("doc.md", $"```sh\n{text}\n```\n").Single();

    [Fact]
    public void A_fails_comment_claims_a_failure_and_its_errno()
    {
        var command = Line("seccomp-ebpf run -- unshare -U true            # fails: unshare is refused (EPERM)");
        Assert.Equal("seccomp-ebpf run -- unshare -U true", command.Command);
        Assert.True(command.ShouldFail);
        Assert.Equal(["EPERM"], command.ClaimedErrnos);
        Assert.Equal(["seccomp-ebpf", "unshare"], command.Programs);
    }

    [Fact]
    public void Quoted_text_in_a_comment_is_claimed_output_and_a_hash_in_quotes_is_no_comment()
    {
        var command = Line("grep '#x' f | tail -1   # \"accepted\": and \"proven:\"");
        Assert.Equal("grep '#x' f | tail -1", command.Command);
        Assert.False(command.ShouldFail);
        Assert.Equal(["accepted", "proven:"], command.ClaimedOutput);
        Assert.Equal(["grep", "tail"], command.Programs);
    }

    [Fact]
    public void Separators_inside_quotes_start_no_program()
    {
        var command = Line("strace -f -o build.strace sh -c 'ls; exec true' > /dev/null");
        Assert.Null(command.Comment);
        Assert.Equal(["strace"], command.Programs);
    }

    [Fact]
    public void Help_examples_take_deeper_indented_lines_as_their_output()
    {
        var commands = DocumentedCommands.FromHelp("help", "Usage: x\n\nExamples:\n  printf 'a' | x asm -\n    b7 00\n    95 00\n  x asm f.asm -o f.bin\n\nafter\n  not an example\n");
        Assert.Equal(2, commands.Count);
        Assert.Equal(["b7 00", "95 00"], commands[0].ExpectedStdout);
        Assert.Empty(commands[1].ExpectedStdout);
        Assert.Equal(4, commands[0].Line);
    }

    [Fact]
    public void Markdown_takes_fenced_and_indented_blocks_but_not_prose_or_list_text()
    {
        var commands = DocumentedCommands.FromMarkdown("doc.md",
            "Build it with\n\n    clang -c a.c -o a.o\n    ls a.o\n\nthen `not run` in prose\n- item\n```sh\n./x run -- true\n```\n");
        Assert.Equal(["clang -c a.c -o a.o", "ls a.o", "./x run -- true"], commands.Select(c => c.Command));
    }
}
