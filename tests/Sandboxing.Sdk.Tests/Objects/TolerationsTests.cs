using k8s.Models;
using Xunit;

namespace Sandboxing.Sdk.Tests.Objects;

// A sandbox pool's taint keeps other pods off its nodes: a toleration added twice clutters every pod, one missed leaves the pod
// pending, and a too-generous match makes the capacity plan count nodes the pod cannot use.
public class TolerationsTests
{
    private static V1Toleration T(string? key, string? value = null, string? effect = "NoSchedule", string? op = null) =>
        new() { Key = key, Value = value, Effect = effect, OperatorProperty = op };

    private static V1Taint Taint(string key, string? value = null, string effect = "NoSchedule") =>
        new() { Key = key, Value = value, Effect = effect };

    [Fact]
    public void AddMissing_adds_a_copy_of_each_toleration_the_spec_lacks_once()
    {
        var wanted = T("sandbox", "kata");
        var spec = new V1PodSpec();
        Tolerations.AddMissing(spec, [wanted]);
        Tolerations.AddMissing(spec, [wanted]);
        var added = Assert.Single(spec.Tolerations);
        Assert.NotSame(wanted, added);
        Assert.Equal(("sandbox", "kata", "NoSchedule"), (added.Key, added.Value, added.Effect));
    }

    [Theory]
    [InlineData("other", "kata", "NoSchedule", "Equal")]   // another key
    [InlineData("sandbox", "gvisor", "NoSchedule", "Equal")] // another value
    [InlineData("sandbox", "kata", "NoExecute", "Equal")]  // another effect
    [InlineData("sandbox", "kata", "NoSchedule", "Exists")] // another operator
    public void AddMissing_adds_a_toleration_that_differs_in_any_part(string key, string value, string effect, string op)
    {
        var spec = new V1PodSpec { Tolerations = [null!, T(key, value, effect, op)] };
        Tolerations.AddMissing(spec, [T("sandbox", "kata")]);
        Assert.Equal(3, spec.Tolerations.Count);
        Assert.Equal("sandbox", spec.Tolerations[2].Key);
    }

    [Fact]
    public void AddMissing_adds_an_Exists_toleration_beside_an_Equal_one_for_the_same_key()
    {
        // Equal with no value tolerates only an empty value; the pool's Exists toleration covers every value, so it is needed.
        var spec = new V1PodSpec { Tolerations = [T("sandbox", op: "Equal")] };
        Tolerations.AddMissing(spec, [T("sandbox", op: "Exists")]);
        Assert.Equal(["Equal", "Exists"], spec.Tolerations.Select(t => t.OperatorProperty));
    }

    [Fact]
    public void AddMissing_treats_an_unset_operator_as_Equal()
    {
        var spec = new V1PodSpec { Tolerations = [T("sandbox", "kata", op: "Equal")] };
        Tolerations.AddMissing(spec, [T("sandbox", "kata", op: null)]);
        Assert.Single(spec.Tolerations);

        spec = new V1PodSpec { Tolerations = [T("sandbox", "kata", op: null)] };
        Tolerations.AddMissing(spec, [T("sandbox", "kata", op: "Equal")]);
        Assert.Single(spec.Tolerations);
    }

    [Theory]
    [InlineData(null, "sandbox", "kata", null, true)]     // no effect: every effect
    [InlineData("", "sandbox", "kata", null, true)]
    [InlineData("NoSchedule", "sandbox", "kata", null, true)]
    [InlineData("NoExecute", "sandbox", "kata", null, false)]
    [InlineData("NoSchedule", "sandbox", "gvisor", null, false)]
    [InlineData("NoSchedule", "other", "kata", null, false)]
    [InlineData("NoSchedule", "sandbox", null, "Exists", true)] // Exists ignores the value
    [InlineData("NoSchedule", null, null, "Exists", true)]      // no key with Exists: every taint
    [InlineData("NoSchedule", "", null, "Exists", true)]
    [InlineData("NoSchedule", null, "kata", "Equal", false)]    // no key needs Exists
    [InlineData("NoSchedule", null, "kata", null, false)]
    public void Tolerate_follows_Kubernetes_matching(string? effect, string? key, string? value, string? op, bool tolerated) =>
        Assert.Equal(tolerated, Tolerations.Tolerate([T(key, value, effect, op)], [Taint("sandbox", "kata")]));

    [Fact]
    public void Tolerate_matches_an_unset_value_with_an_empty_one_and_needs_every_taint_covered()
    {
        Assert.True(Tolerations.Tolerate([T("dedicated", value: null)], [Taint("dedicated", "")]));
        Assert.True(Tolerations.Tolerate([T("dedicated", value: "")], [Taint("dedicated", null)]));
        Assert.False(Tolerations.Tolerate([T("dedicated", value: "x")], [Taint("dedicated", null)]));
        Assert.False(Tolerations.Tolerate([T("a")], [Taint("a"), Taint("b")]));
        Assert.True(Tolerations.Tolerate([T("a"), T("b")], [Taint("a"), Taint("b")]));
        Assert.True(Tolerations.Tolerate([], []));
    }
}
