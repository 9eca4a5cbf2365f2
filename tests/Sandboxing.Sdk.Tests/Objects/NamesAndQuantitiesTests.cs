
namespace Sandboxing.Sdk.Tests.Objects;

public class NamesAndQuantitiesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("kata-vm-isolation", true)]
    [InlineData("0abc", true)]
    [InlineData("a.b", false)]
    [InlineData("A", false)]
    [InlineData("a-", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Labels(string? value, bool valid)
    {
        Assert.Equal(valid, KubernetesNames.IsLabel(value));
        Assert.False(KubernetesNames.IsLabel(new string('a', 64)));
        Assert.True(KubernetesNames.IsLabel(new string('a', 63)));
    }

    [Theory]
    [InlineData("kata.example.com", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("a_b", false)]
    public void Subdomains(string value, bool valid)
    {
        Assert.Equal(valid, KubernetesNames.IsSubdomain(value));
        Assert.False(KubernetesNames.IsSubdomain(new string('a', 254)));
    }

    [Theory]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("sandboxing.sdk/exempt.SBX2004", true)]
    [InlineData("Simple_Key", true)]
    [InlineData("/name", false)]
    [InlineData("Bad_Prefix/name", false)]
    [InlineData("prefix/-name", false)]
    public void Qualified_names(string value, bool valid) => Assert.Equal(valid, KubernetesNames.CheckQualifiedName(value) is null);

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2_beta", true)]
    [InlineData("-x", false)]
    [InlineData("a b", false)]
    public void Label_values(string value, bool valid) => Assert.Equal(valid, KubernetesNames.CheckLabelValue(value) is null);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("500m", 0.5)]
    [InlineData("1.5", 1.5)]
    [InlineData("128Mi", 134217728)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1G", 1000000000)]
    [InlineData("1k", 1000)]
    [InlineData("1e3", 1000)]
    [InlineData("5E-1", 0.5)]
    [InlineData("+2", 2)]
    [InlineData(".5", 0.5)]
    public void Parses_kubernetes_quantities(string text, double expected)
    {
        Assert.True(Quantities.TryParse(text, out var value));
        Assert.Equal((decimal)expected, value);
        Assert.Equal(value, Quantities.ValueOf(new k8s.Models.ResourceQuantity(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1GB")]
    [InlineData("Mi")]
    [InlineData("1 Gi")]
    [InlineData("1.2.3")]
    [InlineData(".")]
    [InlineData("1e")]
    public void Refuses_what_kubernetes_refuses(string text) => Assert.False(Quantities.TryParse(text, out _));

    [Theory]
    [InlineData(536870912, "512Mi")]
    [InlineData(1610612736, "1536Mi")]
    [InlineData(2147483648, "2Gi")]
    [InlineData(1000, "1000")]
    public void Formats_bytes(long bytes, string expected) => Assert.Equal(expected, Quantities.FormatBytes(bytes));
}
