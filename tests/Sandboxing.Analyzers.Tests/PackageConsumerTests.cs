using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sandboxing.Analyzers.Tests;

/// <summary>
/// The install path the README documents, followed as a consumer does: <c>scripts/pack-local.sh</c> packs into a local folder
/// feed, a throwaway project adds that feed and <c>dotnet add package Sandboxing.Sdk</c>, builds a pod without a runtime class,
/// and installs the CLI tool from the feed. SBX1001 must appear at the right file and line (and in the SARIF error log), and
/// <c>SandboxingAnalyzersEnabled=false</c> must silence it. Slow (three packs, a restore, two builds), so it is one test.
/// </summary>
[Trait("Category", "Slow")]
public class PackageConsumerTests
{
    private const string PackageVersion = "0.1.0-test";

    private const string ConsumerSource = """
        using System.Collections.Generic;
        using k8s.Models;

        namespace Consumer;

        public static class Pods
        {
            public static V1Pod Runner() => new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "runner" },
                Spec = new V1PodSpec { Containers = new List<V1Container> { new V1Container { Name = "runner", Image = "busybox" } } },
            };
        }
        """;

    [Fact]
    public void Sdk_package_reports_SBX1001_in_a_consumer_and_can_be_switched_off()
    {
        var root = RepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), "sandboxing-consumer-" + Guid.NewGuid().ToString("N"));
        var feed = Path.Combine(work, "feed");
        var consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(consumer);
        try
        {
            var packed = Exec(root, "bash", [Path.Combine(root, "scripts", "pack-local.sh"), "--output", feed, "--version", PackageVersion]);
            Assert.Contains($"dotnet add package Sandboxing.Sdk --version {PackageVersion}", packed);
            Assert.True(File.Exists(Path.Combine(feed, $"Sandboxing.Analyzers.{PackageVersion}.nupkg")), "the standalone analyzer package is missing:\n" + packed);
            using (var package = ZipFile.OpenRead(Path.Combine(feed, $"Sandboxing.Sdk.{PackageVersion}.nupkg")))
            {
                var entries = package.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("analyzers/dotnet/cs/Sandboxing.Analyzers.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/Sandboxing.Analyzers.CodeFixes.dll", entries);
                Assert.Contains("buildTransitive/Sandboxing.Sdk.targets", entries);
                using var nuspec = new StreamReader(package.GetEntry("Sandboxing.Sdk.nuspec")!.Open());
                Assert.DoesNotContain("developmentDependency", nuspec.ReadToEnd());

                // The package page shows README.md: every link must be absolute there; the license text travels with it.
                Assert.Contains("LICENSE", entries);
                using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
                var relative = System.Text.RegularExpressions.Regex.Matches(readme.ReadToEnd(), @"\]\((?!https?:|#)[^)]+\)").Select(m => m.Value).ToList();
                Assert.True(relative.Count == 0, "relative links in the package README: " + string.Join(", ", relative));
            }

            Assert.True(File.Exists(Path.Combine(feed, $"Sandboxing.Sdk.{PackageVersion}.snupkg")), "the symbols package (snupkg) is missing");

            // As documented (the feed beside nuget.org), with a package cache of its own: a shared ~/.nuget/packages would keep a
            // copy of this version from an earlier run, which is the re-pack pitfall the docs warn about.
            var userPackages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" />
                  </config>
                  <packageSources>
                    <clear />
                    <add key="sandboxing-local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                  <fallbackPackageFolders>
                    <add key="user" value="{userPackages}" />
                  </fallbackPackageFolders>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ErrorLog>sandboxing.sarif,version=2.1</ErrorLog>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "Pods.cs"), ConsumerSource);
            Exec(consumer, Dotnet, ["add", "package", "Sandboxing.Sdk", "--version", PackageVersion]);
            int line = ConsumerSource.Split('\n').ToList().FindIndex(l => l.Contains("Spec = new V1PodSpec", StringComparison.Ordinal)) + 1;
            int column = ConsumerSource.Split('\n')[line - 1].IndexOf("new V1PodSpec", StringComparison.Ordinal) + 1;

            // Build 1: the warning at Pods.cs(line,column), and the same finding in the SARIF log.
            var output = Run(consumer, "build", "Consumer.csproj", "--no-incremental");
            Assert.Matches(new Regex(@"Pods\.cs\(" + line + "," + column + @"\): warning SBX1001: V1Pod 'runner' has no runtimeClassName"), output);
            using (var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(consumer, "sandboxing.sarif"))))
            {
                Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
                var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                    .Where(r => r.GetProperty("ruleId").GetString() == "SBX1001").ToList();
                var result = Assert.Single(results);
                var region = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
                Assert.Equal(line, region.GetProperty("startLine").GetInt32());
            }

            // Build 2: the opt-out property removes the bundled analyzer.
            var silenced = Run(consumer, "build", "Consumer.csproj", "--no-incremental", "-p:SandboxingAnalyzersEnabled=false");
            Assert.DoesNotContain("SBX1001", silenced, StringComparison.Ordinal);

            // The CLI tool from the same feed (a tool path instead of --global, so the test leaves the machine as it was).
            var tools = Path.Combine(work, "tools");
            Exec(consumer, Dotnet, ["tool", "install", "Sandboxing.Cli", "--version", PackageVersion, "--add-source", feed, "--tool-path", tools]);
            Assert.StartsWith(PackageVersion, Exec(consumer, Path.Combine(tools, "sandboxing"), ["--version"]).Trim());
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sandboxing.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Sandboxing.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Runs an MSBuild command of <c>dotnet</c> (build, pack) without node reuse or the shared compiler server.</summary>
    internal static string Run(string workingDirectory, params string[] arguments) =>
        Exec(workingDirectory, Dotnet, [.. arguments, "-nodeReuse:false", "-p:UseSharedCompilation=false"]);

    /// <summary>Runs a command outside the test host's MSBuild environment and returns its output; fails the test on a non-zero exit.</summary>
    internal static string Exec(string workingDirectory, string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside MSBuild's and VSTest's environment; the child build must not inherit it.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.Equals("MSBuildExtensionsPath", StringComparison.OrdinalIgnoreCase) || name.Equals("MSBuildSDKsPath", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        // No build node or compiler server may outlive the command: it would hold the output pipes open (the script's packs too).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var command = Path.GetFileName(fileName) + " " + string.Join(' ', arguments);
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(command + " did not finish in 15 minutes");
        }

        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, command + " failed:\n" + output);
        return output;
    }
}
