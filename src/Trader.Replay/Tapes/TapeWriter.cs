using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Trader.Replay.Tapes;

/// <summary>
/// Writes a tape as JSON lines — the header, then every entry in arrival order — gzip-compressed when the file name
/// ends in <c>.gz</c>. Thread-safe (the REST client and the WebSocket sessions write from their own threads). Each line
/// is flushed as it is written, so a trader that is killed leaves a tape that ends at its last complete line.
/// </summary>
public sealed class TapeWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly Stream _file;
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private int _nextConnection;
    private bool _disposed;

    public TapeWriter(string path, TapeHeader header, TimeProvider? time = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _stream = Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(_file, CompressionLevel.Fastest) : _file;
        WriteLine(JsonSerializer.Serialize(header with { RecordedAt = _time.GetUtcNow() }, TapeJson.Options));
    }

    public string Path { get; }

    public TimeProvider Time => _time;

    public DateTimeOffset Now => _time.GetUtcNow();

    public int NewConnectionId() => Interlocked.Increment(ref _nextConnection);

    /// <summary>
    /// Appends an entry. Entries are kept in time order whatever thread writes them (a tape must be ordered): one
    /// stamped a moment before the entry written last, by a writer that lost the race for the lock, takes that
    /// entry's time.
    /// </summary>
    public void Write(TapeEntry entry)
    {
        lock (_gate)
        {
            if (entry.At < _last) entry = entry with { At = _last };
            _last = entry.At;
            WriteLine(JsonSerializer.Serialize(entry, TapeJson.Options));
        }
    }

    private DateTimeOffset _last = DateTimeOffset.MinValue;

    private void WriteLine(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        lock (_gate)
        {
            if (_disposed) return;
            _stream.Write(bytes);
            _stream.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _stream.Dispose();
            if (!ReferenceEquals(_stream, _file)) _file.Dispose();
        }
    }
}
