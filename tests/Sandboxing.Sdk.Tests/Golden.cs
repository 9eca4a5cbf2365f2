using System.Runtime.CompilerServices;

namespace Sandboxing.Sdk.Tests;

/// <summary>
/// Golden files for emitted text, stored beside the test file under Golden/. <c>UPDATE_GOLDEN=1</c> rewrites them; a mismatch
/// writes a <c>*.actual.*</c> side file; a missing golden file fails when <c>CI=true</c> and is created otherwise.
/// </summary>
public static class Golden
{
    public static void Match(string actual, string extension = "yaml", string? name = null,
        [CallerFilePath] string testFile = "", [CallerMemberName] string member = "")
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        var directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Golden");
        var baseName = $"{Path.GetFileNameWithoutExtension(testFile)}.{name ?? member}";
        var path = Path.Combine(directory, $"{baseName}.{extension}");
        var actualPath = Path.Combine(directory, $"{baseName}.actual.{extension}");
        bool update = Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        if (!File.Exists(path))
        {
            if (ci && !update)
            {
                File.WriteAllText(actualPath, actual);
                Assert.Fail($"Golden file {path} is missing (CI=true). Run the tests locally (or with UPDATE_GOLDEN=1) and commit it.");
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(path, actual);
            return;
        }

        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == actual)
        {
            File.Delete(actualPath);
            return;
        }

        if (update)
        {
            File.WriteAllText(path, actual);
            return;
        }

        File.WriteAllText(actualPath, actual);
        Assert.Equal(expected, actual);
    }
}
