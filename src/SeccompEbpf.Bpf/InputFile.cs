namespace SeccompEbpf.Bpf;

/// <summary>
/// Reads an input file with errors in our words, each naming the file and what to do: "no such
/// file", "is a directory", "permission denied" (never .NET's "Access to the path is denied").
/// </summary>
public static class InputFile
{
    public static BpfResult<byte[]> ReadAllBytes(string path)
    {
        if (path.Length == 0) return new BpfError("no file name given");
        if (Directory.Exists(path)) return new BpfError("is a directory: give a file", Location: path);
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new BpfError("no such file", Location: path);
        }
        catch (UnauthorizedAccessException)
        {
            return new BpfError("permission denied: the file cannot be read by this user", Location: path);
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ArgumentException)
        {
            return new BpfError($"cannot read the file ({e.GetType().Name.Replace("Exception", "")}: {e.Message.Replace(path, "").Trim(' ', ':', '\'')})", Location: path);
        }
    }

    public static BpfResult<string> ReadAllText(string path)
    {
        var bytes = ReadAllBytes(path);
        return bytes.IsOk ? new BpfResult<string>(System.Text.Encoding.UTF8.GetString(bytes.Value)) : bytes.Error!;
    }
}
