namespace Sandboxing.Sdk.Cluster;

/// <summary>One entry of a directory listing in a sandbox (<see cref="AgentSandboxSession.ListFilesAsync"/>).</summary>
public sealed class AgentSandboxFileEntry
{
    internal AgentSandboxFileEntry(string name, long size, bool isDirectory, DateTimeOffset? modifiedAt)
    {
        Name = name;
        Size = size;
        IsDirectory = isDirectory;
        ModifiedAt = modifiedAt;
    }

    /// <summary>The entry's name (not its path).</summary>
    public string Name { get; }

    /// <summary>The size in bytes, as the runtime reports it.</summary>
    public long Size { get; }

    /// <summary>True for a directory, false for a file.</summary>
    public bool IsDirectory { get; }

    /// <summary>When the entry was last modified, if the runtime said.</summary>
    public DateTimeOffset? ModifiedAt { get; }
}
