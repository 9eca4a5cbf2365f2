using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace Sandboxing.Sdk.Tests.Cluster;

/// <summary>The loopback controller and router refuse what the real ones refuse, so a client bug cannot pass against them.</summary>
public class LoopbackFakesTests
{
    private const string Ns = AgentSandboxHarness.Ns;

    private static JsonObject Claim(JsonObject spec) => new()
    {
        ["apiVersion"] = "extensions.agents.x-k8s.io/v1beta1",
        ["kind"] = "SandboxClaim",
        ["metadata"] = new JsonObject { ["generateName"] = "c-" },
        ["spec"] = spec,
    };

    [Fact]
    public async Task The_controller_refuses_a_claim_its_CRD_refuses_and_one_of_the_wrong_kind()
    {
        await using var h = await AgentSandboxHarness.StartAsync();
        using var kube = h.Controller.Client();

        // warmPoolRef is required in v1beta1; templateRef is the v1alpha1 shape.
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => kube.CustomObjects.CreateNamespacedCustomObjectAsync(
            Claim(new JsonObject { ["sandboxTemplateRef"] = new JsonObject { ["name"] = "coder" } }), "extensions.agents.x-k8s.io", "v1beta1", Ns, "sandboxclaims"));
        var wrongKind = await Assert.ThrowsAsync<HttpOperationException>(() => kube.CustomObjects.CreateNamespacedCustomObjectAsync(
            Claim(new JsonObject()), "extensions.agents.x-k8s.io", "v1beta1", Ns, "sandboxwarmpools"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.Response.StatusCode);
        Assert.Single(h.Controller.Server.Violations);
        Assert.Empty(h.Claims);
    }

    [Fact]
    public async Task The_controller_binds_a_claim_and_reports_it_Ready_with_the_pod_IP_and_a_missing_pool_as_WarmPoolNotFound()
    {
        await using var h = await AgentSandboxHarness.StartAsync(warm: 0);
        using var kube = h.Controller.Client();

        await kube.CustomObjects.CreateNamespacedCustomObjectAsync(
            Claim(new JsonObject { ["warmPoolRef"] = new JsonObject { ["name"] = AgentSandboxHarness.Template } }), "extensions.agents.x-k8s.io", "v1beta1", Ns, "sandboxclaims");
        await kube.CustomObjects.CreateNamespacedCustomObjectAsync(
            Claim(new JsonObject { ["warmPoolRef"] = new JsonObject { ["name"] = "nope" } }), "extensions.agents.x-k8s.io", "v1beta1", Ns, "sandboxclaims");

        JsonObject? Ready(string pool) => h.Claims.SingleOrDefault(c => (string?)c["spec"]!["warmPoolRef"]!["name"] == pool)?["status"]?["conditions"]?[0] as JsonObject;
        for (int i = 0; i < 200 && ((string?)Ready(AgentSandboxHarness.Template)?["status"] != "True" || Ready("nope") is null); i++)
        {
            await Task.Delay(10);
        }

        var bound = h.Claims.Single(c => (string?)c["spec"]!["warmPoolRef"]!["name"] == AgentSandboxHarness.Template);
        string sandboxName = (string)bound["status"]!["sandbox"]!["name"]!;
        Assert.Equal((string?)bound["metadata"]!["name"], sandboxName); // an empty pool cold-starts under the claim's name
        Assert.Equal("DependenciesReady", (string?)Ready(AgentSandboxHarness.Template)!["reason"]);
        Assert.Equal(h.Controller.ReadyPodIP(Ns, sandboxName), (string?)bound["status"]!["sandbox"]!["podIPs"]![0]);
        Assert.Equal("kata-vm-isolation", (string?)h.Controller.Get("sandboxes", Ns, sandboxName)!["spec"]!["podTemplate"]!["spec"]!["runtimeClassName"]);
        Assert.Equal(("False", "WarmPoolNotFound", "SandboxWarmPool \"nope\" not found"),
            ((string?)Ready("nope")!["status"], (string?)Ready("nope")!["reason"], (string?)Ready("nope")!["message"]));
    }

    [Theory]
    [InlineData(null, "default", "8888", null, 400, "X-Sandbox-ID header is required.")]
    [InlineData("Bad_Name", "default", "8888", null, 400, "Invalid sandbox ID format.")]
    [InlineData("box", "default", "0", null, 400, "Invalid port format.")]
    [InlineData("box", "default", "8888", "127.0.0.1", 400, "Invalid target IP address.")]
    [InlineData("box", "default", "8888", "169.254.169.254", 400, "Invalid target IP address.")]
    [InlineData("box", "default", "9999", null, 502, "Could not connect to the backend sandbox: box")]
    [InlineData("other", "default", "8888", null, 502, "Could not connect to the backend sandbox: other")]
    [InlineData("box", "default", "8888", "10.0.0.9", 502, "Could not connect to the backend sandbox: box")]
    public async Task The_router_refuses_bad_routing_headers_and_unreachable_sandboxes(string? id, string ns, string port, string? podIP, int status, string detail)
    {
        await using var router = await LoopbackSandboxRouter.StartAsync();
        router.AddSandbox("default", "box", "10.0.0.1");
        using var http = new HttpClient { BaseAddress = router.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "execute") { Content = new StringContent("""{"command":"echo hi"}""", Encoding.UTF8, "application/json") };
        if (id is not null)
        {
            request.Headers.Add("X-Sandbox-ID", id);
        }

        request.Headers.Add("X-Sandbox-Namespace", ns);
        request.Headers.Add("X-Sandbox-Port", port);
        if (podIP is not null)
        {
            request.Headers.Add("X-Sandbox-Pod-IP", podIP);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(detail, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
    }

    [Fact]
    public async Task The_runtime_refuses_a_command_that_is_not_JSON_and_a_path_that_leaves_app_and_the_router_its_token()
    {
        await using var router = await LoopbackSandboxRouter.StartAsync();
        router.AddSandbox("default", "box");
        using var http = new HttpClient { BaseAddress = router.BaseUri };

        async Task<HttpResponseMessage> Send(HttpMethod method, string path, HttpContent? content = null, string? token = null)
        {
            var request = new HttpRequestMessage(method, new Uri(router.BaseUri + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })) { Content = content };
            request.Headers.Add("X-Sandbox-ID", "box");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return await http.SendAsync(request);
        }

        using var text = await Send(HttpMethod.Post, "execute", new StringContent("echo hi"));
        using var escape = await Send(HttpMethod.Get, "download/..%2F..%2Fetc%2Fpasswd");
        router.BearerToken = "t";
        using var noToken = await Send(HttpMethod.Get, "exists/a");
        using var goodToken = await Send(HttpMethod.Get, "exists/a", token: "t");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, text.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, escape.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal("""{"path":"a","exists":false}""", await goodToken.Content.ReadAsStringAsync());
        Assert.Equal(2, router.Violations.Count);
    }
}
