using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sandboxing.Analyzers.Tests;

/// <summary>
/// The analyzer as a consumer gets it: the SDK is packed into a local folder feed, restored into a throwaway project that builds a
/// pod without a runtime class, and built. SBX1001 must appear at the right file and line (and in the SARIF error log), and
/// <c>SandboxingAnalyzersEnabled=false</c> must silence it. Slow (one pack, two builds), so it is one test.
/// </summary>
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
            Run(root, "pack", Path.Combine(root, "src", "Sandboxing.Sdk", "Sandboxing.Sdk.csproj"), "-c", "Release", "-o", feed, $"-p:PackageVersion={PackageVersion}");
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

            var userPackages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config>
                    <add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" />
                  </config>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
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
                  <ItemGroup>
                    <PackageReference Include="Sandboxing.Sdk" Version="{PackageVersion}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "Pods.cs"), ConsumerSource);
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

    internal static string Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
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

        start.ArgumentList.Add("-nodeReuse:false");
        start.ArgumentList.Add("-p:UseSharedCompilation=false");
        // The test host runs inside MSBuild's and VSTest's environment; the child build must not inherit it.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.Equals("MSBuildExtensionsPath", StringComparison.OrdinalIgnoreCase) || name.Equals("MSBuildSDKsPath", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet " + string.Join(' ', arguments) + " did not finish in 8 minutes");
        }

        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, "dotnet " + string.Join(' ', arguments) + " failed:\n" + output);
        return output;
    }
}
