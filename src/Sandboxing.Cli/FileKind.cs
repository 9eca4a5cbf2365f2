using System.Runtime.InteropServices;

namespace Sandboxing.Cli;

/// <summary>
/// What kind of file a path is, by its type rather than its name or reported length: a FIFO blocks the reader until something
/// writes to it, and a device (<c>/dev/zero</c>) reports length 0 but never ends, so neither may be read as a manifest.
/// </summary>
internal static partial class FileKind
{
    // The file type bits of the runtime's own stat shim (System.Native's FileStatus.Mode), the same on every Unix.
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int BlockDevice = 0x6000;
    private const int Socket = 0xC000;

    /// <summary>
    /// What <paramref name="path"/> (links followed) is when it is a FIFO, a device or a socket, for example "a FIFO (named
    /// pipe)"; null for a regular file or folder, on Windows, and when the type cannot be read (reading then reports why).
    /// </summary>
    public static string? NotRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // FileStatus: int Flags, int Mode, then ids, sizes and times; the buffer is larger than any version of it.
        var status = new byte[512];
        if (Stat(path, status) != 0)
        {
            return null;
        }

        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            Fifo => "a FIFO (named pipe)",
            CharacterDevice => "a character device",
            BlockDevice => "a block device",
            Socket => "a socket",
            _ => null,
        };
    }

    /// <summary>Why a file of <paramref name="kind"/> is not read, and what to do instead.</summary>
    public static string Refusal(string kind) =>
        $"it is {kind}, not a regular file, so it was not read (it could block or never end); save the manifests to a file, or pipe them to '-'";

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] status);
}
