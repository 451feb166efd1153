using System.Text;

namespace SeccompEbpf.Cli.Commands;

/// <summary>seccomp-ebpf(1) in roff, made from the overview and every command's help text (so it cannot disagree with them).</summary>
internal static class ManPage
{
    public static string Generate()
    {
        var s = new StringBuilder();
        s.Append($".TH SECCOMP-EBPF 1 \"\" \"seccomp-ebpf {typeof(ManPage).Assembly.GetName().Version}\" \"User Commands\"\n");
        s.Append(".SH NAME\nseccomp-ebpf \\- programmable (eBPF) system-call filtering for Linux\n");
        s.Append(".SH SYNOPSIS\n.B seccomp-ebpf\n.I COMMAND\n[\\fIOPTIONS\\fR]\n");
        s.Append(".SH DESCRIPTION\n");
        var overview = new StringWriter();
        CliMain.PrintOverview(overview);
        Preformatted(s, overview.ToString());
        s.Append(".SH COMMANDS\n");
        foreach (var command in CommandTable.All)
        {
            s.Append($".SS {command.Name}\n{Escape(command.Summary)}\n");
            Preformatted(s, command.Help);
        }
        s.Append(".SH EXIT STATUS\n0 ok, 1 rejected, 2 usage error, 3 bad input, 4 run-time error, 5 system error; ");
        s.Append("\\fBrun\\fR passes the command's status through.\n");
        return s.ToString();
    }

    private static void Preformatted(StringBuilder s, string text)
    {
        s.Append(".PP\n.nf\n");
        foreach (var line in text.TrimEnd().Split('\n')) s.Append(Escape(line)).Append('\n');
        s.Append(".fi\n");
    }

    // Backslashes are roff escapes; a line starting with '.' or '\'' would be a request.
    private static string Escape(string line)
    {
        var escaped = line.Replace("\\", "\\e");
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }
}
