using System.Diagnostics;
using System.Reflection;

namespace Sandboxing.Sdk.Tests.NodePools;

/// <summary>
/// The real Bicep compiler from the NuGet package Azure.Bicep.CommandLine.linux-x64 (restored by PackageDownload; its path is
/// compiled into the test assembly from $(NuGetPackageRoot)).
/// </summary>
public static class BicepCompiler
{
    public static string Path { get; } = typeof(BicepCompiler).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepCompiler").Value!;

    /// <summary>Runs <c>bicep build --stdout</c> on <paramref name="bicep"/>; returns the ARM JSON, the diagnostics and the exit code.</summary>
    public static (string Json, string Diagnostics, int ExitCode) Build(string bicep, string name)
    {
        Assert.True(File.Exists(Path), $"The Bicep compiler is missing at {Path}; run 'dotnet restore tests/Sandboxing.Sdk.Tests' (PackageDownload Azure.Bicep.CommandLine.linux-x64).");
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(Path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(Path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        var directory = Directory.CreateTempSubdirectory("sbx-bicep-");
        try
        {
            var file = System.IO.Path.Combine(directory.FullName, name + ".bicep");
            File.WriteAllText(file, bicep);
            var start = new ProcessStartInfo(Path)
            {
                ArgumentList = { "build", "--stdout", file },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["BICEP_TRACING_ENABLED"] = "false";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "bicep build did not finish in 2 minutes");
            return (stdout.Result, stderr.Result, process.ExitCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
