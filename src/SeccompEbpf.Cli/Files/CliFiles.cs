using SeccompEbpf.Bpf;

namespace SeccompEbpf.Cli.Files;

/// <summary>
/// The file layer of every command: an input named "-" is standard input and an output named "-"
/// standard output; a missing, unreadable or empty input, or a directory, is bad input (exit 3) in our
/// words, an output the system refuses a system error (exit 5); <see cref="Expect"/> refuses the wrong kind of file with the command that reads it.
/// </summary>
public static class CliFiles
{
    public const string Standard = "-";

    /// <summary>"&lt;stdin&gt;" for "-", else the path: how messages name an input.</summary>
    public static string DisplayName(string path) => path == Standard ? "<stdin>" : path;

    /// <summary>The whole input; an empty one is refused unless <paramref name="allowEmpty"/>.</summary>
    public static byte[] ReadBytes(string path, bool allowEmpty = false)
    {
        byte[] bytes;
        if (path == Standard)
        {
            using var buffer = new MemoryStream();
            using (var stdin = Console.OpenStandardInput()) stdin.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        else
        {
            var read = InputFile.ReadAllBytes(path);
            if (!read.IsOk) throw new CliInputException(read.Error!.ToString());
            bytes = read.Value;
        }
        if (bytes.Length == 0 && !allowEmpty) throw new CliInputException($"{DisplayName(path)}: the file is empty");
        return bytes;
    }

    public static string ReadText(string path, bool allowEmpty = false) => System.Text.Encoding.UTF8.GetString(ReadBytes(path, allowEmpty));

    /// <summary>
    /// The input, when it is of a kind the command reads; otherwise bad input that says what the file is
    /// and which command reads that (an ELF object given to disasm is not decoded as raw bytes).
    /// </summary>
    public static byte[] Expect(string path, string command, params InputKind[] accepted) => Expect(path, command, ReadBytes(path), accepted);

    /// <summary><see cref="Expect(string, string, InputKind[])"/> for an input already read.</summary>
    public static byte[] Expect(string path, string command, byte[] bytes, params InputKind[] accepted)
    {
        var kind = InputKinds.Of(bytes);
        if (!accepted.Contains(kind))
        {
            var name = DisplayName(path);
            throw new CliInputException($"{name} is {InputKinds.Describe(kind)}, which '{command}' does not read: {InputKinds.CommandsFor(kind, name)}");
        }
        return bytes;
    }

    /// <summary>Text to <paramref name="path"/>; null or "-" is standard output.</summary>
    public static void WriteText(string? path, string text, TextWriter stdout)
    {
        if (path is null or Standard) { stdout.Write(text); return; }
        WriteFile(path, () => File.WriteAllText(path, text));
    }

    /// <summary>Bytes to <paramref name="path"/>; "-" is standard output (refused when that is a terminal).</summary>
    public static void WriteBytes(string path, byte[] bytes, TextWriter stdout)
    {
        if (path != Standard) { WriteFile(path, () => File.WriteAllBytes(path, bytes)); return; }
        stdout.Flush();
        switch (stdout)
        {
            case StreamWriter writer: writer.BaseStream.Write(bytes); writer.BaseStream.Flush(); break;
            case var console when ReferenceEquals(console, Console.Out):
                if (!Console.IsOutputRedirected)
                    throw new CliUsageException("binary output to a terminal: redirect it (-o - > FILE, or | ...) or give -o FILE");
                using (var raw = Console.OpenStandardOutput()) raw.Write(bytes);
                break;
            // A writer with no stream under it (an in-process caller's StringWriter) gets one char per byte.
            default: stdout.Write(System.Text.Encoding.Latin1.GetString(bytes)); break;
        }
    }

    private static void WriteFile(string path, Action write)
    {
        if (Directory.Exists(path)) throw new CliUsageException($"{path}: is a directory: give a file name to write");
        try { write(); }
        catch (UnauthorizedAccessException) { throw new CliInputException($"{path}: permission denied: cannot write here", ExitCodes.SystemError); }
        catch (DirectoryNotFoundException) { throw new CliInputException($"{path}: no such directory to write into", ExitCodes.SystemError); }
        catch (IOException e) { throw new CliInputException($"{path}: cannot write ({e.Message.Replace(path, "").Trim(' ', ':', '\'')})", ExitCodes.SystemError); }
    }
}
