#!/usr/bin/env python3
"""Extracts the argument schema of the two azurerm resources the SDK emits from the provider's Go source.

Usage: extract-azurerm-schema.py <git dir of hashicorp/terraform-provider-azurerm> <commit> > azurerm-schema.json

It reads the schema literals (pluginsdk.Schema maps) of azurerm_kubernetes_cluster and azurerm_kubernetes_cluster_node_pool,
and for each argument records whether it is a block or an attribute, Required, and the values of a
validation.StringInSlice, resolving go-azure-sdk constants from the provider's vendor folder. Arguments whose schema comes
from a helper outside the containers service (commonschema.Location() ...) are recorded with kind "any".
"""
import json, re, subprocess, sys

GIT, COMMIT = sys.argv[1], sys.argv[2]
SVC = "internal/services/containers/"


def show(path):
    return subprocess.run(["git", "--git-dir", GIT, "show", f"{COMMIT}:{path}"], capture_output=True, text=True, check=True).stdout


def match(text, i):
    """Index just after the bracket closing the one at text[i], skipping strings and comments."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    stack = [pairs[text[i]]]
    j = i + 1
    while stack:
        c = text[j]
        if c == '"':
            j += 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
        elif c == "`":
            j = text.index("`", j + 1)
        elif text.startswith("//", j):
            j = text.index("\n", j)
        elif c in pairs:
            stack.append(pairs[c])
        elif c == stack[-1]:
            stack.pop()
        j += 1
    return j


def blank_nested(body):
    """The body with everything inside nested brackets blanked, so searches only see its own top level."""
    out, j = [], 0
    while j < len(body):
        c = body[j]
        if c in "{([":
            k = match(body, j)
            out.append(c + " " * (k - j - 2) + body[k - 1])
            j = k
        elif c == '"':
            k = j + 1
            while body[k] != '"':
                k += 2 if body[k] == "\\" else 1
            out.append(body[j:k + 1])
            j = k + 1
        else:
            out.append(c)
            j += 1
    return "".join(out)


SOURCES = {name: show(SVC + name) for name in
           ["kubernetes_cluster_resource.go", "kubernetes_cluster_node_pool_resource.go", "kubernetes_nodepool.go", "kubernetes_addons.go"]}
ALL = "\n".join(SOURCES.values())
SDK = "vendor/github.com/hashicorp/go-azure-sdk/resource-manager/containerservice/2025-10-01/"
CONSTS, POSSIBLE = {}, {}
for pkg in ["agentpools", "managedclusters", "maintenanceconfigurations"]:
    text = show(SDK + pkg + "/constants.go")
    for name, value in re.findall(r'^\t(\w+)\s+\w+\s*=\s*"([^"]*)"', text, re.M):
        CONSTS[pkg + "." + name] = value
    for name, body in re.findall(r'func (PossibleValuesFor\w+)\(\) \[\]string \{\s*return \[\]string\{(.*?)\}', text, re.S):
        POSSIBLE[pkg + "." + name] = [CONSTS[pkg + "." + c] for c in re.findall(r"string\((\w+)\)", body)]


def enum(expr):
    """The values of a validation.StringInSlice(...) expression, or None."""
    m = re.match(r"\s*validation\.StringInSlice\(", expr)
    if not m:
        return None
    args = expr[m.end():]
    p = re.match(r"\s*(\w+\.PossibleValuesFor\w+)\(\)", args)
    if p:
        return POSSIBLE[p.group(1)]
    values = []
    for lit, const in re.findall(r'"([^"]*)"|string\((\w+\.\w+)\)', args[:match(args, args.index("{"))]):
        values.append(lit if const == "" else CONSTS[const])
    return values


def func_body(name):
    m = re.search(r"^func " + name + r"\(\) [^{]*\{", ALL, re.M)
    return ALL[m.end() - 1:match(ALL, m.end() - 1)] if m else None


def schema(body):
    """One argument's schema from its &pluginsdk.Schema{...} literal (with the braces)."""
    body = body[1:-1]
    top = blank_nested(body)
    out = {"required": re.search(r"\bRequired:\s*true", top) is not None}
    elem = top.find("Elem:")
    if elem >= 0 and body.startswith("&pluginsdk.Resource{", elem + 5 + len(body[elem + 5:]) - len(body[elem + 5:].lstrip())):
        start = body.index("map[string]*pluginsdk.Schema{", elem)
        out["kind"] = "block"
        out["arguments"] = schema_map(body, body.index("{", start + len("map[string]*pluginsdk.Schema")))
    else:
        out["kind"] = "attribute"
    v = top.find("ValidateFunc:")
    if v >= 0:
        values = enum(body[v + len("ValidateFunc:"):])
        if values is not None:
            out["values"] = values
    return out


def value_schema(expr):
    expr = expr.strip()
    if expr.startswith("{"):
        return schema(expr)
    call = re.fullmatch(r"(\w+)\(\)", expr)
    if call and (body := func_body(call.group(1))) is not None:
        lit = body.index("&pluginsdk.Schema{")
        return schema(body[lit + len("&pluginsdk.Schema"):match(body, lit + len("&pluginsdk.Schema"))])
    # A helper from go-azure-helpers: its shape is not read here.
    return {"required": expr in ("commonschema.Location()", "commonschema.ResourceGroupName()"), "kind": "any"}


def schema_map(text, i):
    """The arguments of the map literal whose '{' is at text[i]."""
    end = match(text, i) - 1
    args, j = {}, i + 1
    while True:
        m = re.compile(r'\s*(?://[^\n]*\s*)*"(\w+)":\s*').match(text, j)
        if not m or m.start() >= end:
            return dict(sorted(args.items()))
        k = m.end()
        if text[k] == "{":
            stop = match(text, k)
        else:
            stop = k
            while text[stop] not in ",}":
                stop = match(text, stop) if text[stop] in "{([" else stop + 1
        args[m.group(1)] = value_schema(text[k:stop])
        j = stop + 1 if text[stop] == "," else stop


def resource(func, extra=None):
    body = func_body(func)
    start = body.index("map[string]*pluginsdk.Schema{")
    args = schema_map(body, body.index("{", start + len("map[string]*pluginsdk.Schema")))
    if extra:
        extra_body = func_body(extra)
        s = extra_body.index("map[string]*pluginsdk.Schema{")
        args.update(schema_map(extra_body, extra_body.index("{", s + len("map[string]*pluginsdk.Schema"))))
    return {"required": True, "kind": "block", "arguments": dict(sorted(args.items()))}


version = re.search(r"^## (\d+\.\d+\.\d+)", show("CHANGELOG.md"), re.M).group(1)
print(json.dumps({
    "source": f"hashicorp/terraform-provider-azurerm@{COMMIT} (CHANGELOG: {version}), {SVC}kubernetes_cluster_resource.go, "
              f"kubernetes_cluster_node_pool_resource.go, kubernetes_nodepool.go, kubernetes_addons.go; enum constants from {SDK}",
    "providerVersion": version,
    "resources": {
        "azurerm_kubernetes_cluster": resource("resourceKubernetesCluster", "schemaKubernetesAddOns"),
        "azurerm_kubernetes_cluster_node_pool": resource("resourceKubernetesClusterNodePoolSchema"),
    },
}, indent=1))
