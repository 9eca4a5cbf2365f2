namespace Sandboxing.Sdk.Aks;

/// <summary>
/// A capacity plan for Kata pods on one node pool: each pod's footprint, what a node offers after AKS's reservations, pods per
/// node, the nodes needed for all replicas, and warnings. <see cref="ToTable"/> renders it; the properties are the data.
/// </summary>
public sealed class CapacityPlan
{
    internal CapacityPlan(
        string poolName, NodeCapacity node, IReadOnlyList<PodFootprint> workloads, int nodesNeeded, IReadOnlyList<string> warnings,
        IReadOnlyList<SandboxFinding> findings, int poolMaxNodes, int podsNotPlaced, IReadOnlyList<string> leftOut)
    {
        PoolName = poolName;
        Node = node;
        Workloads = workloads;
        NodesNeeded = nodesNeeded;
        Warnings = warnings;
        Findings = findings;
        PoolMaxNodes = poolMaxNodes;
        PodsNotPlaced = podsNotPlaced;
        LeftOut = leftOut;
    }

    /// <summary>The node pool.</summary>
    public string PoolName { get; }

    /// <summary>What one node of the pool offers, after AKS's reservations.</summary>
    public NodeCapacity Node { get; }

    /// <summary>Every planned workload's footprint, with <see cref="PodFootprint.PodsPerNode"/> set.</summary>
    public IReadOnlyList<PodFootprint> Workloads { get; }

    /// <summary>Nodes needed for every replica that fits, packed together (first-fit decreasing by memory).</summary>
    public int NodesNeeded { get; }

    /// <summary>Pods that cannot fit, requests below limits, too few nodes, assumptions to check.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>SBX3013 findings: pods that do not tolerate the pool's taints.</summary>
    public IReadOnlyList<SandboxFinding> Findings { get; }

    /// <summary>The most nodes the pool can have (its max count with autoscaling, else its count).</summary>
    public int PoolMaxNodes { get; }

    /// <summary>Pods that no node of the pool takes because they do not tolerate its taints (SBX3013).</summary>
    public int PodsNotPlaced { get; }

    /// <summary>
    /// Workloads left out of the Kata plan, each with why: opted out of sandboxing, no runtime class (they run with the node's
    /// default runtime, runc), or a runtime class that is not Kata.
    /// </summary>
    public IReadOnlyList<string> LeftOut { get; }

    /// <summary>True when the pool, at its largest, holds every replica that fits a node, and every pod tolerates the pool.</summary>
    public bool FitsInPool => NodesNeeded <= PoolMaxNodes && PodsNotPlaced == 0;

    /// <summary>The plan as a readable text table.</summary>
    public string ToTable() => CapacityPlanner.Render(this);

    /// <inheritdoc cref="ToTable"/>
    public override string ToString() => ToTable();
}
