using k8s.Models;

namespace Sandboxing.Sdk;

/// <summary>Shorthands for container probes.</summary>
public static class Probes
{
    /// <summary>An HTTP GET probe.</summary>
    public static V1Probe HttpGet(string path, int port, int periodSeconds = 10, int initialDelaySeconds = 0) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        PeriodSeconds = periodSeconds,
        InitialDelaySeconds = initialDelaySeconds > 0 ? initialDelaySeconds : null,
    };

    /// <summary>A TCP connect probe.</summary>
    public static V1Probe TcpSocket(int port, int periodSeconds = 10) => new()
    {
        TcpSocket = new V1TCPSocketAction { Port = port },
        PeriodSeconds = periodSeconds,
    };

    /// <summary>A probe that runs a command in the container; exit code 0 is healthy.</summary>
    public static V1Probe Exec(params string[] command) => new()
    {
        Exec = new V1ExecAction { Command = [.. command] },
    };
}
