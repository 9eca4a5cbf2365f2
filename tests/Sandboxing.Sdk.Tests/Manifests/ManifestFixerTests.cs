using System.Text.RegularExpressions;
using CsCheck;
using YamlDotNet.RepresentationModel;

namespace Sandboxing.Sdk.Tests.Manifests;

public class ManifestFixerTests
{
    private static readonly Regex s_lineAboveComments = new("""^ *(?<q>["']?)runtimeClassName\k<q>: \k<q>kata-vm-isolation\k<q>(?<newline>\r?\n)$""", RegexOptions.CultureInvariant);

    private static readonly Regex s_insertedEntry = new("""^(?<q>["']?)runtimeClassName\k<q>: \k<q>kata-vm-isolation\k<q>(?<tail>\r?\n *|, )?$""", RegexOptions.CultureInvariant);

    [Fact]
    public void Fixing_twice_equals_fixing_once() =>
        ManifestGen.Case.Sample(c =>
        {
            var once = ManifestFixer.Fix(c.Text, "gen.yaml");
            Assert.Empty(once.Problems);
            var twice = ManifestFixer.Fix(ManifestSource.FromText((c.Bom ? "\uFEFF" : "") + once.FixedText, "gen.yaml"));
            Assert.Empty(twice.Edits);
            Assert.Equal(once.FixedText, twice.FixedText);
        }, iter: 300);

    [Fact]
    public void Parsing_the_fixed_text_gives_the_original_objects_plus_the_runtime_class() =>
        ManifestGen.Case.Sample(c =>
        {
            var source = ManifestSource.FromText(c.Text, "gen.yaml");
            var result = ManifestFixer.Fix(source);
            var parsed = ManifestParser.Parse(source);
            var before = parsed.Documents;
            var after = Load(result.FixedText);
            Assert.Equal(before.Count, after.Count);

            // The expected objects: the originals with runtimeClassName first in every pod spec that lacked one, and the
            // deprecated class renamed in place.
            var expected = before.Select(d => ManifestGen.Plain(d.RootNode)).ToList();
            var pods = parsed.PodObjects();
            Assert.Equal(c.Docs.Count, pods.Count);
            foreach (var pod in pods)
            {
                var spec = (List<KeyValuePair<string, object?>>)Navigate(expected[pod.DocumentIndex - 1], pod.Node, before[pod.DocumentIndex - 1].RootNode, pod.SpecPath)!;
                int existing = spec.FindIndex(e => e.Key == "runtimeClassName");
                if (existing < 0)
                {
                    spec.Insert(0, new KeyValuePair<string, object?>("runtimeClassName", "kata-vm-isolation"));
                }
                else if (spec[existing].Value is "kata-mshv-vm-isolation")
                {
                    spec[existing] = new KeyValuePair<string, object?>("runtimeClassName", "kata-vm-isolation");
                }
            }

            var actual = after.Select(d => ManifestGen.Plain(d.RootNode)).ToList();
            Assert.Equal(Show(expected), Show(actual));
        }, iter: 300);

    [Fact]
    public void Every_byte_outside_the_inserted_lines_is_unchanged() =>
        ManifestGen.Case.Sample(c =>
        {
            var source = ManifestSource.FromText(c.Text, "gen.yaml");
            var result = ManifestFixer.Fix(source);

            // Undo the edits from the end: what is left must be the original, byte for byte.
            var undone = result.FixedText;
            int shift = result.Edits.Sum(e => e.InsertedText.Length - e.RemovedLength);
            foreach (var edit in result.Edits.Reverse())
            {
                shift -= edit.InsertedText.Length - edit.RemovedLength;
                int at = edit.Offset + shift;
                Assert.Equal(edit.InsertedText, undone.Substring(at, edit.InsertedText.Length));
                undone = undone.Remove(at, edit.InsertedText.Length).Insert(at, source.Text.Substring(edit.Offset, edit.RemovedLength));
            }

            Assert.Equal(source.Text, undone);
            Assert.Equal(source.Encode(result.FixedText)[..(c.Bom ? 3 : 0)], c.Bom ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>());

            // And the edits are only whole inserted lines (block style), inserted flow entries, or renamed values.
            foreach (var edit in result.Edits)
            {
                if (edit.RemovedLength > 0)
                {
                    Assert.Equal("kata-mshv-vm-isolation", source.Text.Substring(edit.Offset, edit.RemovedLength));
                    Assert.Equal("kata-vm-isolation", edit.InsertedText);
                    continue;
                }

                if (s_lineAboveComments.Match(edit.InsertedText) is { Success: true } above)
                {
                    // A whole line put above the comments that describe the first key: it starts a line and the next line is a comment.
                    Assert.True(edit.Offset == 0 || source.Text[edit.Offset - 1] is '\n' or '\r');
                    Assert.StartsWith("#", source.Text[edit.Offset..].TrimStart(' '), StringComparison.Ordinal);
                    Assert.Equal(c.Newline, above.Groups["newline"].Value);
                    continue;
                }

                var match = s_insertedEntry.Match(edit.InsertedText);
                Assert.True(match.Success, edit.InsertedText);
                if (match.Groups["tail"].Value.Contains('\n', StringComparison.Ordinal))
                {
                    // A new line: it starts where the first key started, after nothing but indentation (or a "- ").
                    int lineStart = source.Text.LastIndexOf('\n', Math.Max(0, edit.Offset - 1)) + 1;
                    Assert.Matches("^[ -]*$", source.Text[lineStart..edit.Offset]);
                    Assert.Equal(c.Newline, match.Groups["tail"].Value.TrimEnd(' '));
                }
            }
        }, iter: 300);

    [Theory]
    [InlineData("spec:\n  containers: []\n", "spec:\n  runtimeClassName: kata-vm-isolation\n  containers: []\n")]
    [InlineData("spec: {containers: []}\n", "spec: {runtimeClassName: kata-vm-isolation, containers: []}\n")]
    [InlineData("spec: {}\n", "spec: {runtimeClassName: kata-vm-isolation}\n")]
    [InlineData("spec: {\"containers\": []}\n", "spec: {\"runtimeClassName\": \"kata-vm-isolation\", \"containers\": []}\n")]
    [InlineData("'spec':\n    'containers': []\n", "'spec':\n    'runtimeClassName': 'kata-vm-isolation'\n    'containers': []\n")]
    [InlineData("spec:\n  runtimeClassName: kata-mshv-vm-isolation # old\n  containers: []\n", "spec:\n  runtimeClassName: kata-vm-isolation # old\n  containers: []\n")]
    [InlineData("spec:\n  runtimeClassName: \"kata-mshv-vm-isolation\"\n  containers: []\n", "spec:\n  runtimeClassName: \"kata-vm-isolation\"\n  containers: []\n")]
    [InlineData("spec:\n  runtimeClassName: runc\n  containers: []\n", "spec:\n  runtimeClassName: runc\n  containers: []\n")]
    [InlineData("spec:\r\n  containers: []\r\n", "spec:\r\n  runtimeClassName: kata-vm-isolation\r\n  containers: []\r\n")]
    [InlineData("spec:\n  containers: []", "spec:\n  runtimeClassName: kata-vm-isolation\n  containers: []")]
    public void Pod_specs_are_fixed_in_their_own_style(string spec, string expected)
    {
        const string head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n";
        var result = ManifestFixer.Fix(head.Replace("\n", spec.Contains('\r') ? "\r\n" : "\n", StringComparison.Ordinal) + spec, "pod.yaml");
        Assert.Empty(result.Problems);
        Assert.Equal(expected, result.FixedText[(result.FixedText.IndexOf("p}", StringComparison.Ordinal) + (spec.Contains('\r') ? 4 : 3))..]);
    }

    [Fact]
    public void A_pod_spec_shared_through_an_alias_is_fixed_once()
    {
        const string yaml = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec: &spec\n    containers: []\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n  spec: *spec\n";
        var result = ManifestFixer.Fix(yaml, "alias.yaml");
        Assert.Single(result.Edits);
        Assert.Equal(yaml.Replace("&spec\n", "&spec\n    runtimeClassName: kata-vm-isolation\n", StringComparison.Ordinal), result.FixedText);
    }

    [Fact]
    public void Exempt_pods_are_left_alone_and_blank_reasons_do_not_count()
    {
        const string exempt = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {sandboxing.sdk/exempt: \"needs the host network\"}\nspec:\n  containers: []\n";
        Assert.Empty(ManifestFixer.Fix(exempt).Edits);
        var blank = exempt.Replace("needs the host network", " ", StringComparison.Ordinal);
        Assert.Single(ManifestFixer.Fix(blank).Edits);
    }

    [Fact]
    public void Syntax_errors_change_nothing()
    {
        const string broken = "apiVersion: v1\nkind: Pod\nspec: {containers: [\n";
        var result = ManifestFixer.Fix(broken, "broken.yaml");
        Assert.False(result.Changed);
        Assert.Equal(broken, result.FixedText);
        Assert.StartsWith("broken.yaml:", Assert.Single(result.Problems).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_diff_is_unified_with_three_lines_of_context()
    {
        const string yaml = "a: 1\nb: 2\nc: 3\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\nz: 1\ny: 2\nx: 3\nw: 4\n";
        var diff = ManifestFixer.Fix(yaml, "pod.yaml").Diff();
        Assert.Equal(
            "--- a/pod.yaml\n+++ b/pod.yaml\n@@ -5,6 +5,7 @@\n kind: Pod\n metadata: {name: p}\n spec:\n+  runtimeClassName: kata-vm-isolation\n   containers: []\n z: 1\n y: 2\n",
            diff);
    }

    private static IList<YamlDocument> Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents;
    }

    /// <summary>Follows the path of <paramref name="target"/>'s pod spec in the plain copy of the document that holds it.</summary>
    private static object? Navigate(object? plainRoot, YamlMappingNode target, YamlNode root, string specPath)
    {
        object? plainObject = plainRoot;
        if (!ReferenceEquals(root, target))
        {
            // A List: find the item.
            var items = (YamlSequenceNode)((YamlMappingNode)root).Children[new YamlScalarNode("items")];
            int index = items.Children.IndexOf(target);
            var plainItems = (List<object?>)((List<KeyValuePair<string, object?>>)plainRoot!).First(e => e.Key == "items").Value!;
            plainObject = plainItems[index];
        }

        foreach (var key in specPath.Split('.'))
        {
            plainObject = ((List<KeyValuePair<string, object?>>)plainObject!).First(e => e.Key == key).Value;
        }

        return plainObject;
    }

    private static string Show(object? plain) => plain switch
    {
        null => "null",
        string s => "'" + s + "'",
        List<KeyValuePair<string, object?>> m => "{" + string.Join(", ", m.Select(e => e.Key + ": " + Show(e.Value))) + "}",
        List<object?> l => "[" + string.Join(", ", l.Select(Show)) + "]",
        _ => plain.ToString()!,
    };
}
