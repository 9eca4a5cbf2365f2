using k8s.Models;

namespace Sandboxing.Sdk.Aks;

/// <summary>One node as the packer sees it: what is left for pods, and the taints that keep pods off it.</summary>
internal sealed class PackingNode(string name, decimal cpu, decimal memory, int pods, IReadOnlyList<V1Taint> taints)
{
    public string Name { get; } = name;

    /// <summary>CPU left, in the caller's unit (cores or millicores).</summary>
    public decimal Cpu { get; private set; } = cpu;

    /// <summary>Memory left, in bytes.</summary>
    public decimal Memory { get; private set; } = memory;

    /// <summary>Pods the node may still take (its max pods).</summary>
    public int Pods { get; private set; } = pods;

    /// <summary>The node's <c>NoSchedule</c>/<c>NoExecute</c> taints.</summary>
    public IReadOnlyList<V1Taint> Taints { get; } = taints;

    /// <summary>True when the node has gone below zero on any resource.</summary>
    public bool Overdrawn => Cpu < 0 || Memory < 0 || Pods < 0;

    public bool Tolerates(IReadOnlyList<V1Toleration> tolerations) => Tolerations.Tolerate(tolerations, Taints);

    public bool HasRoomFor(decimal cpu, decimal memory) => Cpu >= cpu && Memory >= memory && Pods >= 1;

    public void Take(decimal cpu, decimal memory)
    {
        Cpu -= cpu;
        Memory -= memory;
        Pods -= 1;
    }

    /// <summary>An empty node of the same shape.</summary>
    public PackingNode Copy(string name) => new(name, Cpu, Memory, Pods, Taints);

    public void ClampAtZero()
    {
        Cpu = Math.Max(Cpu, 0);
        Memory = Math.Max(Memory, 0);
        Pods = Math.Max(Pods, 0);
    }
}

/// <summary>What one workload asks the packer to place: pods of one size, with the tolerations that choose their nodes.</summary>
internal sealed record PackingItem<T>(T Owner, int Pods, decimal Cpu, decimal Memory, IReadOnlyList<V1Toleration> Tolerations);

/// <summary>
/// The one packer of the capacity plan and the deploy preflight: DaemonSet pods first, one on every node they tolerate; then
/// first-fit decreasing (pods sorted by memory, then CPU, largest first; each into the first tolerated node with room).
/// </summary>
internal static class FirstFitPacker
{
    /// <summary>Takes one pod of every per-node item from every node whose taints it tolerates; returns the (item, node) pairs
    /// that left a node overdrawn, in order.</summary>
    public static List<(T Owner, PackingNode Node)> ReserveOnEveryNode<T>(IEnumerable<PackingItem<T>> daemons, IReadOnlyList<PackingNode> nodes)
    {
        var overdrawn = new List<(T, PackingNode)>();
        foreach (var daemon in daemons)
        {
            foreach (var node in nodes.Where(n => n.Tolerates(daemon.Tolerations)))
            {
                node.Take(daemon.Cpu, daemon.Memory);
                if (node.Overdrawn)
                {
                    overdrawn.Add((daemon.Owner, node));
                }
            }
        }

        return overdrawn;
    }

    /// <summary>
    /// Places every pod of <paramref name="items"/>, largest first, on the first node that tolerates it and has room. When none
    /// has room and <paramref name="open"/> is given, a new node from it is added (the plan's "nodes needed"); otherwise the pod is
    /// left unplaced.
    /// </summary>
    /// <returns>The pods left unplaced, per owner, in the order the owners were packed.</returns>
    public static List<(T Owner, int Unplaced)> Pack<T>(IEnumerable<PackingItem<T>> items, List<PackingNode> nodes, Func<PackingNode>? open)
    {
        var unplaced = new List<(T, int)>();
        foreach (var item in items.OrderByDescending(i => i.Memory).ThenByDescending(i => i.Cpu))
        {
            int missed = 0;
            for (int pod = 0; pod < item.Pods; pod++)
            {
                var node = nodes.FirstOrDefault(n => n.Tolerates(item.Tolerations) && n.HasRoomFor(item.Cpu, item.Memory));
                if (node is null && open is not null)
                {
                    var fresh = open();
                    if (fresh.Tolerates(item.Tolerations) && fresh.HasRoomFor(item.Cpu, item.Memory))
                    {
                        nodes.Add(fresh);
                        node = fresh;
                    }
                }

                if (node is null)
                {
                    missed++;
                    continue;
                }

                node.Take(item.Cpu, item.Memory);
            }

            if (missed > 0)
            {
                unplaced.Add((item.Owner, missed));
            }
        }

        return unplaced;
    }
}
