using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Trader.Replay.Tapes;

/// <summary>
/// Writes a tape as JSON lines — the header, then every entry in arrival order — gzip-compressed when the file name
/// ends in <c>.gz</c>. Thread-safe (the REST client and the WebSocket sessions write from their own threads). Each line
/// is flushed as it is written, so a trader that is killed leaves a tape that ends at its last complete line.
/// <para>
/// A recorder calls <see cref="Record"/>, which stamps the entry with the clock under the writer's lock: two threads
/// recording at once can never write times out of order (a tape reader refuses that). <see cref="Write"/> keeps the
/// entry's own time (copying or cutting a tape) and refuses one earlier than the last.
/// </para>
/// </summary>
public sealed class TapeWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly Stream _file;
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private int _nextConnection;
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private bool _disposed;

    public TapeWriter(string path, TapeHeader header, TimeProvider? time = null)
        : this(path, header, time, keepRecordedAt: false)
    {
    }

    private TapeWriter(string path, TapeHeader header, TimeProvider? time, bool keepRecordedAt)
    {
        Path = System.IO.Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _stream = Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(_file, CompressionLevel.Fastest) : _file;
        WriteLine(JsonSerializer.Serialize(keepRecordedAt ? header : header with { RecordedAt = _time.GetUtcNow() }, TapeJson.Options));
    }

    /// <summary>Writes a whole tape (a cut one, a copy) to <paramref name="path"/>: its header as it is, its entries with their own times.</summary>
    public static void Save(Tape tape, string path)
    {
        using var writer = new TapeWriter(path, tape.Header, null, keepRecordedAt: true);
        foreach (var entry in tape.Entries) writer.Write(entry);
    }

    public string Path { get; }

    public TimeProvider Time => _time;

    public DateTimeOffset Now => _time.GetUtcNow();

    public int NewConnectionId() => Interlocked.Increment(ref _nextConnection);

    /// <summary>Writes an entry stamped with the time now (its <see cref="TapeEntry.At"/> is replaced).</summary>
    public void Record(TapeEntry entry)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now < _last) now = _last; // a clock stepped back: keep the tape in order
            WriteLocked(entry with { At = now });
        }
    }

    /// <summary>Writes an entry with its own time, which must not be earlier than the last entry's.</summary>
    public void Write(TapeEntry entry)
    {
        lock (_gate)
        {
            if (entry.At < _last)
                throw new ArgumentException($"entry at {entry.At:O} is earlier than the previous one ({_last:O}): a tape is in arrival order", nameof(entry));
            WriteLocked(entry);
        }
    }

    private void WriteLocked(TapeEntry entry)
    {
        if (_disposed) return;
        _last = entry.At;
        WriteLine(JsonSerializer.Serialize(entry, TapeJson.Options));
    }

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
