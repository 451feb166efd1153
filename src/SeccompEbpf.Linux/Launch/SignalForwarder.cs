using System.Runtime.InteropServices;
using SeccompEbpf.Linux.Interop;
using static SeccompEbpf.Linux.Interop.LinuxConstants;
using static SeccompEbpf.Bpf.LinuxErrno;

namespace SeccompEbpf.Linux.Launch;

/// <summary>
/// While the command runs, signals meant for the wrapper go to the command instead, and the wrapper
/// itself stays alive to report the command's status. Ctrl-C and Ctrl-\ from a terminal already reach
/// the whole foreground process group, command included, so SIGINT and SIGQUIT are forwarded only
/// when the wrapper is not in the terminal's foreground group (e.g. `kill -INT` from a script).
/// Created before the command starts, so that no signal slips through between spawn and
/// <see cref="Attach"/>: signals that arrive before then are delivered on attach.
/// </summary>
public sealed class SignalForwarder : IDisposable
{
    private static readonly int[] Forwarded = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2];
    private readonly List<PosixSignalRegistration> _registrations = new();
    private readonly Lock _gate = new();
    private readonly List<int> _pending = new();
    private LaunchedCommand? _command;

    public SignalForwarder()
    {
        foreach (var signal in Forwarded)
            _registrations.Add(PosixSignalRegistration.Create((PosixSignal)signal, OnSignal));
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the wrapper lives on until the command ends
        var signal = (int)context.Signal switch
        {
            (int)PosixSignal.SIGHUP => SIGHUP,
            (int)PosixSignal.SIGINT => SIGINT,
            (int)PosixSignal.SIGQUIT => SIGQUIT,
            (int)PosixSignal.SIGTERM => SIGTERM,
            var raw => raw,
        };
        if (signal is SIGINT or SIGQUIT && InTerminalForeground()) return;
        lock (_gate)
        {
            if (_command is null) _pending.Add(signal);
            else _command.Signal(signal);
        }
    }

    /// <summary>From now on signals go to <paramref name="command"/>; those that came earlier are sent now.</summary>
    public void Attach(LaunchedCommand command)
    {
        lock (_gate)
        {
            _command = command;
            foreach (var signal in _pending) command.Signal(signal);
            _pending.Clear();
        }
    }

    private static bool InTerminalForeground()
    {
        for (int fd = 0; fd <= 2; fd++)
        {
            var foreground = LibC.TcGetPgrp(fd);
            if (foreground > 0) return foreground == LibC.GetPgrp();
        }
        return false;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _registrations.Clear();
    }
}
