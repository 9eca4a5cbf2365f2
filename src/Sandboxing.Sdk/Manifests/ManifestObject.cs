using k8s;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk;

/// <summary>One object read from a manifest, with where it starts.</summary>
public sealed class ManifestObject
{
    internal ManifestObject(IKubernetesObject obj, int documentIndex, int line, int column, YamlNode? node = null)
    {
        Object = obj;
        DocumentIndex = documentIndex;
        Line = line;
        Column = column;
        Node = node;
    }

    /// <summary>The typed object (for example a <c>V1Deployment</c>).</summary>
    public IKubernetesObject Object { get; }

    /// <summary>The YAML document it came from, counting from 1.</summary>
    public int DocumentIndex { get; }

    /// <summary>The line (1-based) where the object starts.</summary>
    public int Line { get; }

    /// <summary>The column (1-based) where the object starts.</summary>
    public int Column { get; }

    /// <summary>The object's YAML, kept only when a reader must place findings at fields (the linter's tenant rules).</summary>
    internal YamlNode? Node { get; }
}
