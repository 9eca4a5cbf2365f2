using System.Text;
using System.Text.RegularExpressions;

namespace Sandboxing.Cli.Config;

/// <summary>
/// Reads <c>.sandboxing.yaml</c>. <see cref="Keys"/> and the nested key lists are the one table of what the file may say: the
/// reader refuses every other key, and a test checks that <c>schemas/sandboxing.schema.json</c> names exactly these.
/// </summary>
internal static partial class SandboxingConfigLoader
{
    /// <summary>The file name searched for.</summary>
    public const string FileName = ".sandboxing.yaml";

    /// <summary>The other spelling that is accepted.</summary>
    public const string AlternativeFileName = ".sandboxing.yml";

    /// <summary>A config is a few lines; a larger file is a mistake (a manifest passed to --config), not a config.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <summary>Reads and checks a config file.</summary>
    /// <param name="fullPath">The absolute path.</param>
    /// <param name="displayPath">The path as messages show it.</param>
    /// <exception cref="ConfigException">The file cannot be read, or a setting is wrong (every problem of the file at once).</exception>
    public static SandboxingConfig Load(string fullPath, string displayPath)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(fullPath);
            if (info.Length > MaxBytes)
            {
                throw new ConfigException(new ConfigProblem(displayPath, 0, 0,
                    $"the config file is {info.Length:N0} bytes, over the limit of {MaxBytes:N0}; a config is a few settings: check that --config names the config, not a manifest"));
            }

            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigProblem(displayPath, 0, 0, $"the config file cannot be read ({e.Message}); check its permissions, or pass --no-config"));
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ConfigException(new ConfigProblem(displayPath, 0, 0, "the config file is not UTF-8 text; save it as UTF-8"));
        }

        return Parse(text.TrimStart('\uFEFF'), fullPath, displayPath);
    }

    /// <summary>Reads config text (see <see cref="Load"/>).</summary>
    /// <exception cref="ConfigException">A setting is wrong.</exception>
    public static SandboxingConfig Parse(string text, string fullPath, string displayPath)
    {
        var config = new SandboxingConfig { FullPath = fullPath, DisplayPath = displayPath };
        var root = ConfigYaml.Parse(text, displayPath);
        if (root is null or ConfigScalar { IsNull: true })
        {
            return config; // an empty file (or only comments): every default
        }

        var reader = new ConfigReader(displayPath);
        if (root is not ConfigMapping mapping)
        {
            reader.Report(root, null, $"the file is {root.Describe()}; a config file is a map of settings such as 'runtime: kata-vm-isolation' (see docs/config.md)");
        }
        else
        {
            foreach (var (key, value) in mapping.Entries)
            {
                if (Keys.FirstOrDefault(k => k.Name == key.Value) is { } known)
                {
                    config = known.Read(reader, value, config);
                }
                else
                {
                    reader.UnknownKey(key, null, Keys.Select(k => k.Name).ToArray());
                }
            }
        }

        reader.CheckClassNames(config.RuntimeClasses);
        return reader.Problems.Count > 0
            ? throw new ConfigException(reader.Problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList())
            : config;
    }

    /// <summary>A dotted path of keys in which <c>*</c> is any map key or list item (<c>spec.jobs.*.template.spec</c>).</summary>
    [GeneratedRegex(@"^(\*|[A-Za-z0-9_-]+(\[\*\])?)(\.(\*|[A-Za-z0-9_-]+(\[\*\])?))*$", RegexOptions.CultureInvariant)]
    internal static partial Regex FieldPath();

    /// <summary>A Kubernetes kind: a capital letter, then letters and digits.</summary>
    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex KindName();
}
