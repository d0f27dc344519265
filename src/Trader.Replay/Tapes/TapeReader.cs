using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Trader.Replay.Tapes;

/// <summary>A file that is not a usable tape; the message names the file, the line and the reason.</summary>
public sealed class TapeFormatException(string path, int line, string reason)
    : Exception($"{path}: line {line}: {reason}")
{
    public string File { get; } = path;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>A tape read into memory.</summary>
public sealed record Tape(TapeHeader Header, IReadOnlyList<TapeEntry> Entries, string Path)
{
    /// <summary>When the session's first recorded event began: the first entry, or an earlier send of a request answered later.</summary>
    public DateTimeOffset Start => Entries.Count > 0 ? Entries.Min(e => e.Sent is { } sent && sent < e.At ? sent : e.At) : Header.RecordedAt;

    public DateTimeOffset End => Entries.Count > 0 ? Entries[^1].At : Header.RecordedAt;
}

/// <summary>
/// Reads a tape, refusing with the line number and the reason a file that is foreign (not a Trader.Actors tape), of an
/// unknown version, corrupt (a line that is not a valid entry), truncated (cut off mid-line) or out of order.
/// </summary>
public static class TapeReader
{
    public static Tape Read(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"tape not found: {path}", path);
        string text;
        try
        {
            using var file = System.IO.File.OpenRead(path);
            using Stream stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = reader.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw new TapeFormatException(path, 1, $"the compressed data is damaged ({e.Message})");
        }
        catch (DecoderFallbackException)
        {
            throw new TapeFormatException(path, 1, "not text: the file is not a tape (foreign binary file)");
        }
        return Parse(text, path);
    }

    public static Tape Parse(string text, string path = "<tape>")
    {
        if (text.Length == 0) throw new TapeFormatException(path, 1, "the file is empty");
        var lines = text.Split('\n');
        bool endsWithNewline = text.EndsWith('\n');
        int count = endsWithNewline ? lines.Length - 1 : lines.Length;

        TapeHeader header;
        try
        {
            header = JsonSerializer.Deserialize<TapeHeader>(lines[0], TapeJson.Options) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new TapeFormatException(path, 1, "not a Trader.Actors tape (foreign file: the first line is not a tape header)");
        }
        if (header.Tape != TapeHeader.Magic)
            throw new TapeFormatException(path, 1, $"not a Trader.Actors tape (foreign file: header says '{header.Tape}')");
        if (header.Version != TapeHeader.CurrentVersion)
            throw new TapeFormatException(path, 1, $"tape version {header.Version} is not supported (this program reads version {TapeHeader.CurrentVersion})");

        var entries = new List<TapeEntry>(count);
        DateTimeOffset last = DateTimeOffset.MinValue;
        for (int i = 1; i < count; i++)
        {
            int lineNumber = i + 1;
            var line = lines[i];
            if (line.Length == 0) throw new TapeFormatException(path, lineNumber, "empty line");
            TapeEntry entry;
            try
            {
                entry = JsonSerializer.Deserialize<TapeEntry>(line, TapeJson.Options) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                bool lastLine = i == count - 1 && !endsWithNewline;
                throw new TapeFormatException(path, lineNumber, lastLine
                    ? "truncated: the recording stops in the middle of this line"
                    : $"corrupt entry: {e.Message}");
            }
            Validate(entry, path, lineNumber);
            if (entry.At < last) throw new TapeFormatException(path, lineNumber, $"out of order: {entry.At:O} is before the previous entry's {last:O}");
            last = entry.At;
            entries.Add(entry);
        }
        return new Tape(header, entries, path);
    }

    private static void Validate(TapeEntry e, string path, int line)
    {
        string? missing = e.Kind switch
        {
            TapeEntryKind.Http when e.Method is null || e.Path is null => "method and path",
            TapeEntryKind.Http when e.Status is null && e.ErrorKind is null => "a status or an error",
            TapeEntryKind.WsConnect when e.Connection is null => "conn",
            TapeEntryKind.WsReceive or TapeEntryKind.WsSend when e.Connection is null || e.Frame is null => "conn and frame",
            TapeEntryKind.WsClose when e.Connection is null => "conn",
            _ => null,
        };
        if (missing is not null) throw new TapeFormatException(path, line, $"corrupt entry: a {e.Kind} entry needs {missing}");
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
